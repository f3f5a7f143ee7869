import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IServiceExtension, ServiceApp, ServicePipelineStackProps, ServiceStage } from '../../src';
import { cfnLintErrors, findTemplates } from '../helpers/cfn-lint';
import { CONNECTION_ARN, HANDLER_BUNDLE, PIPELINE_ENV, THREE_STAGES } from '../helpers/pipeline';

const RECOMMENDED_FLAGS: Record<string, unknown> = JSON.parse(
  fs.readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));

const SETTINGS: ServicePipelineStackProps = {
  serviceName: 'orders',
  pipelineAccount: PIPELINE_ENV.account,
  pipelineRegion: PIPELINE_ENV.region,
  sourceRepository: { owner: 'acme', name: 'orders', branch: 'main', connectionArn: CONNECTION_ARN },
  stages: THREE_STAGES,
  lambdaCodePath: HANDLER_BUNDLE,
};

/** The app a service's `cdk synth -c key=value` builds, synthesized into a temporary folder. */
function synth(context: Record<string, string>, props: Partial<ServicePipelineStackProps> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-preview-'));
  const app = new App({ outdir, context: { ...RECOMMENDED_FLAGS, ...context } });
  const built = ServiceApp.addTo(app, { ...SETTINGS, ...props });
  const assembly = app.synth();
  return { app, built, assembly, outdir };
}

function onlyStage(built: unknown): ServiceStage {
  expect(built).toBeInstanceOf(ServiceStage);
  return built as ServiceStage;
}

describe('cdk synth -c preview=pr-7', () => {
  const { built, assembly, outdir } = synth({ preview: 'pr-7' });
  const stage = onlyStage(built);
  const template = Template.fromStack(stage.serviceStack);
  const resources: Record<string, any> = template.toJSON().Resources;

  test('writes exactly the preview stage: one stack named <service>-pr-7, in the dev stage\'s account and region', () => {
    const stacks = assembly.stacksRecursively;
    expect(stacks.map((s) => s.stackName)).toEqual(['orders-pr-7']);
    expect(stacks[0].environment).toMatchObject({ account: THREE_STAGES[0].account, region: THREE_STAGES[0].region });
    expect(stage.copyOf).toBe('dev');
  });

  test('retains nothing on delete or replacement', () => {
    const kept = Object.entries(resources).filter(([, r]) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete'
      || r.UpdateReplacePolicy !== undefined && r.UpdateReplacePolicy !== 'Delete');
    expect(kept.map(([id]) => id)).toEqual([]);
    // The log groups, kept by default elsewhere, are among what is deleted.
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup').length).toBeGreaterThanOrEqual(3);
  });

  test('has no CodeDeploy canary, no alarm, no dashboard, no drift schedule and no account-wide API Gateway role', () => {
    const types = new Set(Object.values(resources).map((r) => r.Type));
    for (const type of ['AWS::CodeDeploy::Application', 'AWS::CodeDeploy::DeploymentGroup', 'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Dashboard', 'AWS::Scheduler::Schedule', 'AWS::ApiGateway::Account', 'AWS::Events::Rule']) {
      expect([type, types.has(type)]).toEqual([type, false]);
    }
    // One function: the service's (no pre-traffic hook, no drift report).
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function')).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' });
  });

  test('keeps its logs at most 7 days', () => {
    const retention = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup').map((r) => r.Properties.RetentionInDays);
    expect(retention.every((days) => days <= 7)).toBe(true);
  });

  test('puts every role under the previews\' path of the dev stage, in a segment of its own, with the boundary', () => {
    const roles = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      expect(role.Properties.Path).toBe('/serverless-service/orders/dev/previews/pr-7/');
      expect(JSON.stringify(role.Properties.PermissionsBoundary)).toContain('serverless-service-boundary');
    }
  });

  test('is deployed through the preview access roles, not the account\'s bootstrap deploy role', () => {
    const manifest = JSON.parse(fs.readFileSync(findManifest(outdir), 'utf8'));
    const artifact: any = Object.values(manifest.artifacts).find((a: any) => a.type === 'aws:cloudformation:stack');
    expect(artifact.properties.assumeRoleArn).toBe('arn:aws:iam::222222222222:role/serverless-service/orders/preview-access/orders-preview-deploy');
    expect(artifact.properties.cloudFormationExecutionRoleArn)
      .toBe('arn:aws:iam::222222222222:role/serverless-service/orders/preview-access/orders-preview-execution');
  });

  test('passes cfn-lint without errors', () => {
    const templates = findTemplates(outdir);
    expect(templates).toHaveLength(1);
    expect(cfnLintErrors(templates)).toEqual([]);
  });
});

describe('cdk synth -c sandbox=alice', () => {
  const { built, assembly } = synth({ sandbox: 'alice' });

  test('writes exactly Alice\'s sandbox, <service>-sandbox-alice, disposable like a preview', () => {
    const stage = onlyStage(built);
    expect(assembly.stacksRecursively.map((s) => s.stackName)).toEqual(['orders-sandbox-alice']);
    const resources = Object.values(Template.fromStack(stage.serviceStack).toJSON().Resources) as any[];
    expect(resources.filter((r) => r.DeletionPolicy === 'Retain')).toEqual([]);
    expect(resources.some((r) => r.Type === 'AWS::CodeDeploy::DeploymentGroup')).toBe(false);
    const paths = new Set(resources.filter((r) => r.Type === 'AWS::IAM::Role').map((r) => r.Properties.Path));
    expect([...paths]).toEqual(['/serverless-service/orders/dev/previews/sandbox-alice/']);
  });
});

describe('the longest names', () => {
  test('a 30-character service\'s preview of pull request 999999 and its 20-character sandbox synthesize, nag and lint clean', () => {
    const serviceName = 'orders-abcdefghijklmnopqrstuvw';
    const settings = { serviceName, sourceRepository: { ...SETTINGS.sourceRepository, name: serviceName } };
    for (const [context, stackName] of [[{ preview: 'pr-999999' }, `${serviceName}-pr-999999`],
      [{ sandbox: 'abcdefghij-klmnopqrs' }, `${serviceName}-sandbox-abcdefghij-klmnopqrs`]] as const) {
      const { assembly, outdir } = synth(context, settings);
      const [stack] = assembly.stacksRecursively;
      expect(stack.stackName).toBe(stackName);
      expect(stack.stackName.length).toBeLessThanOrEqual(128);
      const resources: any[] = Object.values(stack.template.Resources);
      // Every name the template sets itself fits its service's limit (generated names CloudFormation shortens itself).
      for (const r of resources) {
        if (r.Type === 'AWS::IAM::Role') expect(r.Properties.Path.length).toBeLessThanOrEqual(512);
        if (r.Type === 'AWS::ApiGateway::RestApi') expect(r.Properties.Name.length).toBeLessThanOrEqual(1024);
        if (typeof r.Properties?.LogGroupName === 'string') expect(r.Properties.LogGroupName.length).toBeLessThanOrEqual(512);
      }
      expect(cfnLintErrors(findTemplates(outdir))).toEqual([]);
    }
  });
});

describe('the extension', () => {
  test('extends a preview as every stage, and what it adds is deleted with the preview, even what it would retain', () => {
    const seen: string[] = [];
    const extension: IServiceExtension = {
      extendStage: (stage) => {
        seen.push(`${stage.node.id}:${stage.copyOf ?? ''}`);
        const copy = stage.copyOf !== undefined;
        new s3.Bucket(stage.serviceStack, 'Uploads', {
          removalPolicy: copy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN, autoDeleteObjects: copy, enforceSSL: true,
        });
        // Retained, as an extension might keep audit logs in every stage.
        new logs.LogGroup(stage.serviceStack, 'Audit', { removalPolicy: RemovalPolicy.RETAIN });
      },
      extendPipeline: () => undefined,
    };
    const { built } = synth({ preview: 'pr-3' }, { extension, nagChecks: false });
    expect(seen).toEqual(['pr-3:dev']);
    const template = Template.fromStack(onlyStage(built).serviceStack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    const retained = Object.values(template.toJSON().Resources as Record<string, any>).filter((r) => r.DeletionPolicy === 'Retain');
    expect(retained).toEqual([]);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });
});

describe('context values the app refuses', () => {
  test.each([
    [{ preview: '7' }, 'The preview context must be "pr-<number>"'],
    [{ preview: 'pr-0' }, 'got "pr-0"'],
    [{ preview: 'pr-1000000' }, 'got "pr-1000000"'],
    [{ sandbox: 'Alice' }, 'A sandbox name must be 1 to 20 lower-case letters'],
    [{ sandbox: 'a-very-long-sandbox-name' }, 'got "a-very-long-sandbox-name"'],
    [{ preview: 'pr-7', sandbox: 'alice' }, 'Give one of the contexts -c preview=..., -c sandbox=...'],
  ])('%j: %s', (context, message) => {
    expect(() => synth(context)).toThrow(message);
  });

  test('a preview of a service without a development stage, or with previews off, names why', () => {
    expect(() => synth({ preview: 'pr-7' }, { stages: [THREE_STAGES[2]] })).toThrow(/previews and sandboxes are off for orders/);
    expect(() => synth({ sandbox: 'alice' }, { previews: { enabled: false } })).toThrow(/previews and sandboxes are off/);
  });

  test('without a context, the app is the pipeline stack, and no preview stage', () => {
    const { built, assembly } = synth({});
    expect(built).toBeInstanceOf(Stack);
    expect((built as Stack).stackName).toBe('orders-pipeline');
    expect(assembly.stacksRecursively.map((s) => s.stackName)).not.toContain('orders-pr-7');
  });
});

function findManifest(dir: string): string {
  const stageDirs = fs.readdirSync(dir).filter((name) => name.startsWith('assembly-'));
  expect(stageDirs).toHaveLength(1);
  return path.join(dir, stageDirs[0], 'manifest.json');
}
