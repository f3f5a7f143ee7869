import { Component, Project } from 'projen';
import { generatedSource } from './generated-source';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';
import type { ServiceSettings } from './service-settings';

/** Name of the pipeline stack, the only stack a person ever deploys by hand. */
export function pipelineStackName(settings: ServiceSettings): string {
  return `${settings.serviceName}-pipeline`;
}

/** Properties whose values are members of an enum this package exports: rendered as `Enum.MEMBER`. */
const ENUM_PROPERTIES: Record<string, string> = {
  profile: 'StageProfile',
  deploymentStrategy: 'DeploymentStrategy',
  provider: 'SourceProvider',
  authorization: 'ApiAuthorization',
};

/**
 * The service's CDK app (`src/main.generated.ts`): it only wires the service's settings
 * into `ServicePipelineStack`, where the behaviour lives, versioned with this package.
 */
export class PipelineAppFile extends Component {
  constructor(project: Project, filePath: string, settings: ServiceSettings, lambdaCodeDir: string) {
    super(project);
    const { emailSubscribers, slackWorkspaceId, slackChannelId } = settings.notifications;
    const props = {
      env: { account: settings.pipelineAccount, region: settings.pipelineRegion },
      serviceName: settings.serviceName,
      source: settings.source,
      stages: settings.stages,
      notificationEmails: emailSubscribers,
      slackChannel: slackWorkspaceId && slackChannelId ? { slackWorkspaceId, slackChannelId } : undefined,
      pullRequestBuilds: settings.pullRequestBuilds,
      environment: settings.environment,
      functionPolicyStatements: settings.functionPolicyStatements,
    };
    const { code, enums } = renderTypeScript(props);
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

/** Renders a plain value as TypeScript: JSON, with the values of enum properties as enum members. */
function renderTypeScript(value: unknown): { code: string; enums: string[] } {
  const enums = new Set<string>();
  const code = JSON.stringify(value, null, 2).replace(/"(\w+)": "([A-Z0-9_]+)"/g, (match, key: string, member: string) => {
    const enumName = ENUM_PROPERTIES[key];
    if (!enumName) return match;
    enums.add(enumName);
    return `"${key}": ${enumName}.${member}`;
  });
  return { code, enums: [...enums] };
}
