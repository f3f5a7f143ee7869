import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeploymentStageOptions, ServicePipelineStack, ServicePipelineStackProps } from '../../src';

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
