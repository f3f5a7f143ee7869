import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiAuthorization, DeploymentStageOptions, DeploymentStrategy, ServicePipelineStack, ServicePipelineStackProps } from '../../src';

/** The feature flags projen writes into every service's cdk.json. */
const RECOMMENDED_FLAGS: Record<string, unknown> = JSON.parse(
  fs.readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));

/** An app configured as a generated service's cdk.json configures it. */
export function serviceApp(outdir?: string): App {
  return new App({ outdir, context: RECOMMENDED_FLAGS });
}

/** A real-looking connection (a new service starts with a placeholder). */
export const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/6f1f2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

/** A stand-in for the service's bundled handler. */
export const HANDLER_BUNDLE = path.join(__dirname, '..', 'fixtures', 'handler');

export const PIPELINE_ENV = { account: '111111111111', region: 'eu-west-1' };

export const THREE_STAGES: DeploymentStageOptions[] = [
  { name: 'dev', account: '222222222222', region: 'eu-west-1' },
  { name: 'staging', account: '333333333333', region: 'eu-west-1' },
  { name: 'prod', account: '444444444444', region: 'eu-central-1', manualApproval: true },
];

/** A pipeline stack as a generated service's CDK app builds it, with a stand-in handler bundle. */
export function pipelineStack(
  stages: DeploymentStageOptions[] = THREE_STAGES,
  app = serviceApp(),
  overrides: Partial<ServicePipelineStackProps> = {},
): ServicePipelineStack {
  return new ServicePipelineStack(app, 'orders-pipeline', {
    env: PIPELINE_ENV,
    serviceName: 'orders',
    sourceRepository: { owner: 'acme', name: 'orders', branch: 'main', connectionArn: CONNECTION_ARN },
    stages,
    lambdaCodePath: HANDLER_BUNDLE,
    ...overrides,
  });
}

/** The properties of the service's own function (not the hook's or the rollback's) in a stage's template. */
export function serviceFunctionOf(template: Template): any {
  return Object.values(template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { SERVICE_NAME: 'orders' } } },
  }))[0].Properties;
}

/**
 * A pipeline with every delivery option set: a gated, windowed, approved prod with bake time and
 * extra steps, COGNITO and IAM authorization, a web ACL, reserved and provisioned concurrency,
 * notifications and a private registry.
 */
export const EVERY_OPTION: { stages: DeploymentStageOptions[]; overrides: Partial<ServicePipelineStackProps> } = {
  stages: [
    { ...THREE_STAGES[0], tracing: true, reservedConcurrency: 5, provisionedConcurrency: 2, environment: { FEATURE: 'on' } },
    {
      ...THREE_STAGES[1],
      bakeTimeMinutes: 10,
      stepsAfter: [{ name: 'Smoke', commands: ['npx projen test:smoke'] }],
      authorization: ApiAuthorization.IAM,
      deploymentStrategy: DeploymentStrategy.LINEAR_10PERCENT_EVERY_1MINUTE,
    },
    {
      ...THREE_STAGES[2],
      manualApproval: true,
      bakeTimeMinutes: 30,
      deploymentWindow: { cron: '* * 9-16 ? * MON-THU', timeZone: 'Europe/Berlin' },
      stepsBefore: [{ name: 'Migrate', commands: ['npx projen migrate'] }],
      stepsAfter: [{ name: 'Announce', commands: ['echo released'] }],
      authorization: ApiAuthorization.COGNITO,
      cognitoUserPoolArn: 'arn:aws:cognito-idp:eu-central-1:444444444444:userpool/eu-central-1_AbCdEf123',
      webAclArn: 'arn:aws:wafv2:eu-central-1:444444444444:regional/webacl/orders/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      corsAllowedOrigins: ['https://shop.example.com'],
      memorySize: 2048,
      latencyAlarmThresholdMs: 1000,
    },
  ],
  overrides: {
    notifications: { emailSubscribers: ['orders-oncall@example.com'], slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD' },
    packageRegistry: { codeArtifact: { domain: 'platform', domainOwner: '999999999999', repository: 'npm-private', region: 'eu-west-1' }, scope: '@org' },
    environment: { LOG_LEVEL: 'info' },
    functionPolicyStatements: [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:222222222222:table/orders'] }],
  },
};
