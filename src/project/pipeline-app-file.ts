import * as path from 'path';
import { Component, JsonFile, Project } from 'projen';
import { generatedSource } from './generated-source';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info';
import { pipelineStackName } from '../settings/constants';
import { ServiceSettings } from '../settings/service-settings';
import { SERVICE_SETTINGS_FILE } from '../settings/settings-file';

/**
 * The service's CDK app (`src/main.generated.ts`) and the settings it passes on
 * (`src/service-settings.generated.json`, the settings of `.projenrc.ts` as data): the app only
 * hands them to `ServiceApp`, where the behaviour lives, versioned with this package.
 */
export class PipelineAppFile extends Component {
  constructor(project: Project, appFile: string, settings: ServiceSettings, lambdaCodeDir: string) {
    super(project);
    new JsonFile(project, path.posix.join(path.posix.dirname(appFile), SERVICE_SETTINGS_FILE), { obj: settings });

    generatedSource(project, appFile, [
      `// Template: ${PACKAGE_NAME} ${PACKAGE_VERSION}.`,
      `// The settings come from .projenrc.ts (as ${SERVICE_SETTINGS_FILE}), your own additions from src/extend.ts.`,
      'import * as path from \'path\';',
      `import { ServiceApp, ServicePipelineStack } from '${PACKAGE_NAME}';`,
      'import { App } from \'aws-cdk-lib\';',
      'import { extension } from \'./extend\';',
      '',
      `// The pipeline stack (${pipelineStackName(settings.serviceName!)}); with -c preview=pr-<number> or -c sandbox=<name>, only that copy of the dev stage.`,
      'const app = new App();',
      'ServiceApp.addTo(app, {',
      `  ...ServicePipelineStack.readSettings(path.join(__dirname, '${SERVICE_SETTINGS_FILE}')),`,
      '  extension,',
      `  lambdaCodePath: path.join(__dirname, '..', ${lambdaCodeDir.split('/').map((part) => `'${part}'`).join(', ')}),`,
      '});',
      'app.synth();',
    ]);
  }
}
