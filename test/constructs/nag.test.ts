import { App, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiAuthorization, IServiceExtension } from '../../src';
import { pipelineStack, serviceApp, THREE_STAGES } from '../helpers/pipeline';

/** What cdk-nag still reports once the app has synthesized (acknowledgments and all). */
function remainingFindings(app: App): string[] {
  return new AwsSolutionsChecks().validateScope(app).violations
    .flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}`)).sort();
}

/** Every acknowledgment in the app, as `path id: reason`. */
function acknowledgments(app: App): Array<{ path: string; id: string; reason: string }> {
  return app.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))));
}

/** An extension adding a bucket with none of the protections AwsSolutions asks for to the dev stage. */
const careless: IServiceExtension = {
  extendStage(stage) {
    if (stage.stageName === 'dev') new s3.Bucket(stage.serviceStack, 'Uploads');
  },
  extendPipeline() {},
};

describe('AwsSolutions checks of a service\'s app', () => {
  const app = serviceApp();
  pipelineStack(undefined, app);
  app.synth();

  test('pass on the pipeline stack and every stage stack: only the web ACL advice for stages without one remains', () => {
    expect(remainingFindings(app)).toEqual(['dev', 'prod', 'staging']
      .map((stage) => `warning AwsSolutions-APIG3 orders-pipeline/${stage}/orders/Service/Api/DeploymentStage.live/Resource`));
  });

  test('acknowledge each finding by its rule id, and its finding where the rule has several, with a reason', () => {
    const acks = acknowledgments(app);
    const count = (rule: string) => acks.filter((a) => a.id.replace(/^Annotation::/, '').replace(/\[.*$/, '') === rule).length;
    // Every rule acknowledged anywhere, and how often: a new acknowledgment is a decision, made here on purpose.
    expect(Object.fromEntries(['IAM5', 'IAM4', 'S1', 'APIG4', 'COG4', 'CB4', 'L1'].map((r) => [r, count(`AwsSolutions-${r}`)])))
      .toEqual({ IAM5: 114, IAM4: 3, S1: 2, APIG4: 6, COG4: 6, CB4: 4, L1: 10 });
    expect(acks).toHaveLength(145);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^Annotation::AwsSolutions-[A-Z]+\d+(\[(Action|Resource|Policy)::.+\])?$/);
      expect(ack.reason.length).toBeGreaterThan(80);
    }
    // Never a whole rule of the IAM rules, whose findings each name what they allow.
    expect(acks.filter((a) => /AwsSolutions-IAM[45]$/.test(a.id))).toEqual([]);
  });
});

test('a finding in a stage\'s stack fails the synth, naming the rule and the resource', () => {
  const app = serviceApp();
  pipelineStack(undefined, app, { extension: careless });
  expect(() => app.synth()).toThrow(/require requests to use SSL[\s\S]*orders-pipeline\/dev\/orders\/Uploads\/Resource[\s\S]*AwsSolutions-S10/);
});

test('a wildcard grant beside the generated ones is not covered by their acknowledgment', () => {
  const app = serviceApp();
  pipelineStack(undefined, app, {
    extension: {
      extendStage() {},
      extendPipeline(pipeline) {
        pipeline.addWave('Audit', {
          post: [new pipelines.CodeBuildStep('Audit', {
            commands: ['true'],
            rolePolicyStatements: [new iam.PolicyStatement({ actions: ['s3:GetObject*'], resources: ['arn:aws:s3:::someone-elses-bucket/*'] })],
          })],
        });
      },
    },
  });
  expect(() => app.synth()).toThrow(/Audit\/Audit\/Role\/DefaultPolicy\/Resource[\s\S]*AwsSolutions-IAM5\[Action::s3:GetObject\*\]/);
});

test('the checks can be turned off', () => {
  const app = serviceApp();
  pipelineStack(undefined, app, { extension: careless, nagChecks: false });
  expect(() => app.synth()).not.toThrow();
});

test('the options that add resources keep every stack free of errors', () => {
  const app = serviceApp();
  pipelineStack([
    // In the pipeline's own account (no forwarding), traced, IAM-protected and called from a browser.
    {
      name: 'dev',
      account: '111111111111',
      region: 'eu-west-1',
      tracing: true,
      reservedConcurrency: 5,
      authorization: ApiAuthorization.IAM,
      corsAllowedOrigins: ['https://shop.example.com'],
    },
    {
      ...THREE_STAGES[1],
      authorization: ApiAuthorization.COGNITO,
      cognitoUserPoolArn: 'arn:aws:cognito-idp:eu-west-1:333333333333:userpool/eu-west-1_AbCdEf123',
      webAclArn: 'arn:aws:wafv2:eu-west-1:333333333333:regional/webacl/orders/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    },
    THREE_STAGES[2],
  ], app, {
    notifications: { emailSubscribers: ['orders-oncall@example.com'], slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD' },
    functionPolicyStatements: [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:111111111111:table/orders'] }],
  });
  app.synth();
  expect(remainingFindings(app)).toEqual(['dev', 'prod']
    .map((stage) => `warning AwsSolutions-APIG3 orders-pipeline/${stage}/orders/Service/Api/DeploymentStage.live/Resource`));
});

test('an aws-cdk-lib that knows a newer Node.js than the functions run does not fail the synth (L1, acknowledged on each function)', () => {
  // As aws-cdk-lib 2.278.0 did with nodejs26.x: constructing a runtime lists it in Runtime.ALL, where L1 looks for the latest.
  const newer = new lambda.Runtime('nodejs99.x', lambda.RuntimeFamily.NODEJS);
  try {
    const app = serviceApp();
    pipelineStack(undefined, app);
    expect(() => app.synth()).not.toThrow();
    const l1 = acknowledgments(app).filter((a) => a.id.replace(/^Annotation::/, '') === 'AwsSolutions-L1');
    expect(l1.map((a) => a.path.replace(/^orders-pipeline\/(dev|staging|prod)\/orders\//, '<stage>/')).sort()).toEqual([
      ...['<stage>/DriftDetection/Report', '<stage>/Service/Function', '<stage>/Service/PreTrafficHook'].flatMap((p) => [p, p, p]),
      'orders-pipeline/Previews/Sweeper',
    ].sort());
    // And without the acknowledgments, L1 is what it would report.
    const unacknowledged = new AwsSolutionsChecks().validateScope(app).violations.filter((v) => v.ruleName === 'AwsSolutions-L1');
    expect(unacknowledged).toEqual([]);
  } finally {
    lambda.Runtime.ALL.splice(lambda.Runtime.ALL.indexOf(newer), 1);
  }
});
