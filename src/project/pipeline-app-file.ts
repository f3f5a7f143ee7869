import { Component, Project } from 'projen';
import { generatedSource } from './generated-source';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';
import type { ServiceSettings } from './service-settings';

/** Name of the pipeline stack, the only stack a person ever deploys by hand. */
export function pipelineStackName(settings: ServiceSettings): string {
  return `${settings.serviceName}-pipeline`;
}

/** Marks a string as code (an enum member) inside the settings: no setting holds this character. */
const CODE_MARK = '\u0001';

/**
 * The service's CDK app (`src/main.generated.ts`): it only wires the service's settings
 * into `ServicePipelineStack`, where the behaviour lives, versioned with this package.
 */
export class PipelineAppFile extends Component {
  constructor(project: Project, filePath: string, settings: ServiceSettings, lambdaCodeDir: string) {
    super(project);
    const { emailSubscribers, slackWorkspaceId, slackChannelId } = settings.notifications;
    const enums = new Set<string>();
    // Only these fields hold enum members: a variable in an `environment` map is a plain string, whatever its name.
    const member = (enumName: string, value: string | undefined) => {
      if (value === undefined) return undefined;
      enums.add(enumName);
      return `${CODE_MARK}${enumName}.${value}${CODE_MARK}`;
    };
    const props = {
      env: { account: settings.pipelineAccount, region: settings.pipelineRegion },
      serviceName: settings.serviceName,
      source: { ...settings.source, provider: member('SourceProvider', settings.source.provider) },
      stages: settings.stages.map((stage) => ({
        ...stage,
        profile: member('StageProfile', stage.profile),
        deploymentStrategy: member('DeploymentStrategy', stage.deploymentStrategy),
        authorization: member('ApiAuthorization', stage.authorization),
      })),
      notificationEmails: emailSubscribers,
      slackChannel: slackWorkspaceId && slackChannelId ? { slackWorkspaceId, slackChannelId } : undefined,
      pullRequestBuilds: settings.pullRequestBuilds,
      environment: settings.environment,
      functionPolicyStatements: settings.functionPolicyStatements,
    };
    const code = renderTypeScript(props);
    const codePath = lambdaCodeDir.split('/').map((part) => `'${part}'`).join(', ');

    generatedSource(project, filePath, [
      `// Template: ${PACKAGE_NAME} ${PACKAGE_VERSION}.`,
      '// The settings come from .projenrc.ts, your own additions from src/extend.ts; the pipeline is ServicePipelineStack.',
      'import * as path from \'path\';',
      `import { ${['ServicePipelineStack', ...enums].sort().join(', ')} } from '${PACKAGE_NAME}';`,
      'import { App } from \'aws-cdk-lib\';',
      'import { extension } from \'./extend\';',
      '',
      `const settings = ${code};`,
      '',
      'const app = new App();',
      `new ServicePipelineStack(app, '${pipelineStackName(settings)}', {`,
      '  ...settings,',
      '  extension,',
      `  lambdaCodePath: path.join(__dirname, '..', ${codePath}),`,
      '});',
      'app.synth();',
    ]);
  }
}

/** Renders a plain value as TypeScript: JSON, with the strings marked as code (which JSON escapes as \u0001) written as code. */
function renderTypeScript(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/"\\u0001([^"]*)\\u0001"/g, '$1');
}
