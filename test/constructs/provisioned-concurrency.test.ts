import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DeploymentStageOptions, ServiceApi, ServiceApp, ServiceStack, ServiceStage } from '../../src';
import { disposableStageProps } from '../../src/settings/stage-defaults';
import { CONNECTION_ARN, HANDLER_BUNDLE, PIPELINE_ENV, pipelineStack, serviceFunctionOf, THREE_STAGES } from '../helpers/pipeline';

const RECOMMENDED_FLAGS: Record<string, unknown> = JSON.parse(
  fs.readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));

/** dev reserves 5 and provisions 2; staging sets neither; prod provisions 3 with no reservation. */
const STAGES: DeploymentStageOptions[] = [
  { ...THREE_STAGES[0], reservedConcurrency: 5, provisionedConcurrency: 2 },
  THREE_STAGES[1],
  { ...THREE_STAGES[2], provisionedConcurrency: 3 },
];
const [dev, staging, prod] = pipelineStack(STAGES).serviceStages.map((stage) => Template.fromStack(stage.serviceStack));

/** The one `AWS::Lambda::Alias` of a stage's template (the service's `live` alias), with its logical id. */
function liveAlias(template: Template): { id: string; resource: any } {
  const aliases = Object.entries(template.findResources('AWS::Lambda::Alias', { Properties: { Name: ServiceApi.LIVE_ALIAS } }));
  expect(aliases).toHaveLength(1);
  const [[id, resource]] = aliases;
  return { id, resource };
}

describe('a stage with provisionedConcurrency', () => {
  test('provisions it on the live alias, the one API Gateway invokes', () => {
    expect(liveAlias(prod).resource.Properties.ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 3 });
    expect(liveAlias(dev).resource.Properties.ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 2 });
    const uris = Object.values(prod.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'ANY' } }))
      .map((method) => JSON.stringify(method.Properties.Integration.Uri));
    expect(uris).toHaveLength(2);
    for (const uri of uris) expect(uri).toContain(`{"Ref":"${liveAlias(prod).id}"}`);
  });

  test('provisions nothing on a version or the function: a version\'s would stay behind when the alias moves on', () => {
    for (const version of Object.values(prod.findResources('AWS::Lambda::Version'))) {
      expect(version.Properties.ProvisionedConcurrencyConfig).toBeUndefined();
    }
    expect(serviceFunctionOf(prod).ReservedConcurrentExecutions).toBeUndefined();
  });

  test('keeps its reserved concurrency beside it', () => {
    expect(serviceFunctionOf(dev).ReservedConcurrentExecutions).toBe(5);
  });

  test('still deploys through CodeDeploy: the deployment group updates the alias after the pre-traffic hook, shifts, watches its alarms and rolls back', () => {
    const { resource } = liveAlias(prod);
    const [[groupId, group]] = Object.entries(prod.findResources('AWS::CodeDeploy::DeploymentGroup'));
    const [applicationId] = Object.keys(prod.findResources('AWS::CodeDeploy::Application'));
    const [hookId] = Object.keys(prod.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { HEALTH_PATH: Match.anyValue() } } },
    }));
    expect(resource.UpdatePolicy).toEqual({
      CodeDeployLambdaAliasUpdate: {
        ApplicationName: { Ref: applicationId },
        DeploymentGroupName: { Ref: groupId },
        BeforeAllowTrafficHook: { Ref: hookId },
      },
    });
    expect(group.Properties).toMatchObject({
      ApplicationName: { Ref: applicationId },
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent15Minutes',
      DeploymentStyle: { DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' },
      AutoRollbackConfiguration: { Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM']) },
      AlarmConfiguration: { Enabled: true, Alarms: expect.any(Array) },
    });
    expect(group.Properties.AlarmConfiguration.Alarms).toHaveLength(4);
  });

  test('lets the pre-traffic hook call the new version itself, outside the alias\'s provisioned concurrency', () => {
    const hook = Object.values(prod.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { HEALTH_PATH: Match.anyValue() } } },
    }))[0];
    const [versionId] = Object.keys(prod.findResources('AWS::Lambda::Version'));
    expect(hook.Properties.Environment.Variables.TARGET_VERSION_ARN).toEqual({ Ref: versionId });
  });

  test('deploys all at once where the profile says so, with the same alias update policy', () => {
    const { resource } = liveAlias(dev);
    expect(Object.keys(resource.UpdatePolicy)).toEqual(['CodeDeployLambdaAliasUpdate']);
    dev.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' });
  });
});

test('changing provisionedConcurrency alone publishes no new version: the alias is updated in place, no CodeDeploy deployment runs', () => {
  const versionIds = (provisionedConcurrency?: number) => {
    const [stage] = pipelineStack([{ ...THREE_STAGES[2], provisionedConcurrency }]).serviceStages;
    return Object.keys(Template.fromStack(stage.serviceStack).findResources('AWS::Lambda::Version'));
  };
  const none = versionIds(undefined);
  expect(none).toHaveLength(1);
  expect(versionIds(3)).toEqual(none);
  expect(versionIds(7)).toEqual(none);
});

describe('a stage without provisionedConcurrency', () => {
  test('provisions nothing on its live alias', () => {
    staging.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: Match.absent() });
  });
});

describe('a disposable copy of a stage that provisions concurrency', () => {
  test('(a pull request\'s preview, synthesized as the service\'s CDK app does) provisions none: it would be billed while idle', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-preview-'));
    const app = new App({ outdir, context: { ...RECOMMENDED_FLAGS, preview: 'pr-7' } });
    const built = ServiceApp.addTo(app, {
      serviceName: 'orders',
      pipelineAccount: PIPELINE_ENV.account,
      pipelineRegion: PIPELINE_ENV.region,
      sourceRepository: { owner: 'acme', name: 'orders', branch: 'main', connectionArn: CONNECTION_ARN },
      stages: STAGES,
      lambdaCodePath: HANDLER_BUNDLE,
    });
    expect(built).toBeInstanceOf(ServiceStage);
    const copy = built as ServiceStage;
    expect(copy.copyOf).toBe('dev');
    const template = Template.fromStack(copy.serviceStack);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: Match.absent() });
    expect(serviceFunctionOf(template).ReservedConcurrentExecutions).toBeUndefined();
  });

  test('(a ServiceStack made disposable directly, given the stage\'s own settings) provisions none either', () => {
    const stack = new ServiceStack(new App(), 'orders-sandbox-alice', {
      serviceName: 'orders',
      stageName: 'sandbox-alice',
      lambdaCodePath: HANDLER_BUNDLE,
      settings: { provisionedConcurrency: 4 },
      disposable: true,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: Match.absent() });
  });

  test('takes no provisioned concurrency from the stage it copies', () => {
    expect(disposableStageProps({ provisionedConcurrency: 4, reservedConcurrency: 8 }))
      .toMatchObject({ provisionedConcurrency: undefined, reservedConcurrency: undefined });
  });
});

test('a ServiceApi alone provisions its live alias as its settings say', () => {
  const stack = new Stack(new App(), 'Api');
  const api = new ServiceApi(stack, 'Service', { serviceName: 'orders', lambdaCodePath: HANDLER_BUNDLE, settings: { provisionedConcurrency: 1 } });
  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', {
    Name: 'live',
    ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 },
  });
  expect(api.deploymentGroup).toBeDefined();
});
