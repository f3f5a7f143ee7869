import { Component, Project } from 'projen';
import { generatedSource } from './generated-source';
import { PACKAGE_NAME } from './package-name';
import type { ServiceSettings } from './service-settings';

/** Name of the pipeline stack, the only stack a person ever deploys by hand. */
export function pipelineStackName(settings: ServiceSettings): string {
  return `${settings.serviceName}-pipeline`;
}

/**
 * The service's CDK app (`src/main.generated.ts`): it only wires the service's settings
 * into `ServicePipelineStack`, where the behaviour lives, versioned with this package.
 */
export class PipelineAppFile extends Component {
  constructor(project: Project, filePath: string, settings: ServiceSettings, lambdaCodeDir: string) {
    const props = {
      env: { account: settings.pipelineAccount, region: settings.pipelineRegion },
      serviceName: settings.serviceName,
      source: settings.source,
      stages: settings.stages,
    };
    const codePath = lambdaCodeDir.split('/').map((part) => `'${part}'`).join(', ');
    super(project);
    generatedSource(project, filePath, [
      '// The service\'s settings come from .projenrc.ts; the pipeline itself is ServicePipelineStack.',
      'import * as path from \'path\';',
      `import { ServicePipelineStack } from '${PACKAGE_NAME}';`,
      'import { App } from \'aws-cdk-lib\';',
      '',
      `const settings = ${JSON.stringify(props, null, 2)};`,
      '',
      'const app = new App();',
      `new ServicePipelineStack(app, '${pipelineStackName(settings)}', {`,
      '  ...settings,',
      `  lambdaCodePath: path.join(__dirname, '..', ${codePath}),`,
      '});',
      'app.synth();',
    ]);
  }
}
