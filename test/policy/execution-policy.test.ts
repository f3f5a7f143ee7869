import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { IServiceExtension } from '../../src';
import { readStageStacks } from '../../src/cli/cloud-assembly';
import {
  DeployedStack, executionPolicy, iamPrefixOf, PolicyDocumentJson, uncoveredResourceTypes,
} from '../../src/policy/execution-policy';
import { pipelineStack, serviceApp } from '../helpers/pipeline';

/** The stage stacks of the fixture pipeline, synthesized into a cloud assembly, as the CLI reads them. */
function synthesizedStages(extension?: IServiceExtension): DeployedStack[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const app = serviceApp(outdir);
  pipelineStack(undefined, app, { extension, nagChecks: false });
  app.synth();
  return readStageStacks(outdir);
}

const boundaryOf = (stacks: DeployedStack[]) => `arn:aws:iam::${stacks[0].account}:policy/serverless-service-boundary`;
const typesOf = (stacks: DeployedStack[]) => stacks.flatMap((s) => Object.values(s.template.Resources ?? {}).map((r) => r.Type));
const byAccount = (stacks: DeployedStack[]) => Object.values(stacks.reduce<Record<string, DeployedStack[]>>(
  (groups, s) => ({ ...groups, [s.account]: [...groups[s.account] ?? [], s] }), {}));

/** The boundary the stage accounts' roles carry. */
const BOUNDARY = 'arn:aws:iam::222222222222:policy/serverless-service-boundary';

/** Resource types no stage is expected to contain, and whose IAM prefix is unknown. */
const UNMAPPED = 'AWS::GameLift::Alias';

describe('the execution policy of each stage account of the fixture pipeline', () => {
  const stacks = synthesizedStages();

  test('reads one stack per stage from the cloud assembly, and not the pipeline\'s', () => {
    expect(stacks.map((s) => [s.stackName, s.account, s.region])).toEqual([
      ['orders-dev', '222222222222', 'eu-west-1'], ['orders-staging', '333333333333', 'eu-west-1'], ['orders-prod', '444444444444', 'eu-central-1'],
    ]);
  });

  test.each(byAccount(stacks).map((group) => [group[0].account, group]))('covers every resource type deployed to %s', (_account, group) => {
    const types = typesOf(group as DeployedStack[]);
    expect(types.length).toBeGreaterThan(10);
    expect(uncoveredResourceTypes(executionPolicy(group as DeployedStack[], boundaryOf(group as DeployedStack[])), types)).toEqual([]);
  });

  test('allows no "*" action, no iam service-wide, and passes only the stack\'s roles to the services that assume them', () => {
    const prod = stacks.filter((s) => s.stackName === 'orders-prod');
    const policy = executionPolicy(prod, boundaryOf(prod));
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions).not.toContain('*');
    expect(actions.filter((a) => a.startsWith('iam:') && a.includes('*'))).toEqual([]);
    expect(policy.Statement.find((s) => s.Sid === 'StackServices')!.Action)
      .toEqual(['apigateway:*', 'cloudwatch:*', 'codedeploy:*', 'events:*', 'lambda:*', 'logs:*', 'scheduler:*']);
    expect(policy.Statement.find((s) => s.Action.includes('iam:PassRole'))).toEqual({
      Sid: 'PassStackRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: ['arn:aws:iam::444444444444:role/serverless-service/orders/prod/*'],
      Condition: {
        StringEquals: { 'iam:PassedToService': ['apigateway.amazonaws.com', 'codedeploy.amazonaws.com', 'events.amazonaws.com', 'lambda.amazonaws.com', 'scheduler.amazonaws.com'] },
      },
    });
  });
});

test('a resource type the mapping lacks, added by an extension, is reported as not covered', () => {
  const extension: IServiceExtension = {
    extendStage(stage) {
      if (stage.stageName === 'dev') {
        new CfnResource(stage.serviceStack, 'GameAlias', {
          type: UNMAPPED, properties: { Name: 'orders', RoutingStrategy: { Type: 'TERMINAL', Message: 'closed' } },
        });
      }
    },
    extendPipeline() {},
  };
  const dev = synthesizedStages(extension).filter((s) => s.account === '222222222222');
  expect(uncoveredResourceTypes(executionPolicy(dev, boundaryOf(dev)), typesOf(dev))).toEqual([UNMAPPED]);
});

describe('iamPrefixOf', () => {
  test.each([
    ['AWS::ApiGateway::RestApi', 'apigateway'], ['AWS::ApiGatewayV2::Api', 'apigateway'], ['AWS::Logs::LogGroup', 'logs'],
    ['AWS::CodeDeploy::DeploymentGroup', 'codedeploy'], ['AWS::Lambda::Function', 'lambda'], ['AWS::Events::Rule', 'events'],
    ['AWS::CloudWatch::Alarm', 'cloudwatch'], ['AWS::SNS::Topic', 'sns'], ['AWS::KMS::Key', 'kms'], ['AWS::WAFv2::WebACLAssociation', 'wafv2'],
    ['AWS::Cognito::UserPool', 'cognito-idp'], ['AWS::Cognito::IdentityPool', 'cognito-identity'], ['AWS::StepFunctions::StateMachine', 'states'],
    ['AWS::KinesisFirehose::DeliveryStream', 'firehose'], ['AWS::CertificateManager::Certificate', 'acm'], ['AWS::DynamoDB::GlobalTable', 'dynamodb'],
  ])('%s belongs to %s', (type, prefix) => {
    expect(iamPrefixOf(type)).toBe(prefix);
  });

  test.each(['AWS::IAM::Role', UNMAPPED, 'Custom::Anything', 'Vendor::Thing::Kind'])('%s has no service-wide prefix', (type) => {
    expect(iamPrefixOf(type)).toBeUndefined();
  });
});

describe('executionPolicy', () => {
  const stack = (stackName: string, resources: Record<string, { Type: string; Properties?: any }>, account = '222222222222'): DeployedStack => ({
    stackName, account, region: 'eu-west-1', partition: 'aws', template: { Resources: resources },
  });

  test('scopes roles by their path, lets only the listed managed policies be attached, within the boundary, and reads the function code', () => {
    const policy = executionPolicy([stack('orders-dev', {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Path: '/serverless-service/orders/dev/',
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
          ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }],
        },
      },
      Named: { Type: 'AWS::IAM::Role', Properties: { Path: '/serverless-service/orders/dev/', RoleName: 'orders-fixed', AssumeRolePolicyDocument: { Statement: [] } } },
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Bucket: { 'Fn::Sub': 'cdk-assets-${AWS::AccountId}-${AWS::Region}' } } } },
    })], BOUNDARY);
    const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid);
    expect(statement('StackRoles')!.Resource).toEqual(['arn:aws:iam::222222222222:role/serverless-service/orders/dev/*']);
    expect(statement('GrantOnlyWithinBoundary')).toEqual({
      Sid: 'GrantOnlyWithinBoundary',
      Effect: 'Allow',
      Action: ['iam:CreateRole', 'iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy'],
      Resource: ['arn:aws:iam::222222222222:role/serverless-service/orders/dev/*'],
      Condition: { StringEquals: { 'iam:PermissionsBoundary': [BOUNDARY] } },
    });
    expect(statement('AttachListedManagedPolicies')!.Condition).toEqual({
      StringEquals: { 'iam:PermissionsBoundary': [BOUNDARY] }, ArnEquals: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
    });
    expect(statement('KeepPermissionsBoundary')).toMatchObject({ Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary'] });
    expect(statement('ReadFunctionCode')!.Resource).toEqual(['arn:aws:s3:::cdk-assets-222222222222-eu-west-1/*']);
    expect(statement('StackServices')!.Action).toEqual(['lambda:*']);
  });

  test('lets API Gateway create its service-linked role, which active tracing of a stage needs, only where a stage traces', () => {
    const traced = executionPolicy([stack('orders-dev', { Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { TracingEnabled: true } } })], BOUNDARY);
    expect(traced.Statement.find((s) => s.Sid === 'CreateApiGatewayServiceLinkedRole')).toEqual({
      Sid: 'CreateApiGatewayServiceLinkedRole',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: ['arn:aws:iam::222222222222:role/aws-service-role/ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway'],
      Condition: { StringEquals: { 'iam:AWSServiceName': ['ops.apigateway.amazonaws.com'] } },
    });
    const untraced = executionPolicy([stack('orders-dev', { Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { TracingEnabled: false } } })], BOUNDARY);
    expect(untraced.Statement.map((s) => s.Sid)).not.toContain('CreateApiGatewayServiceLinkedRole');
  });

  test('covers one account at a time', () => {
    expect(() => executionPolicy([stack('a', {}), stack('b', {}, '333333333333')], BOUNDARY))
      .toThrow('An execution policy covers one account; these stacks deploy to 222222222222, 333333333333.');
  });

  test('refuses what it cannot know before deploying, rather than guess', () => {
    expect(() => executionPolicy([stack('a', { Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Bucket: { Ref: 'CodeBucket' } } } } })], BOUNDARY))
      .toThrow(/\{"Ref":"CodeBucket"\} is known only once deployed/);
  });
});

describe('uncoveredResourceTypes', () => {
  const policy: PolicyDocumentJson = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'S', Effect: 'Allow', Action: ['lambda:*', 'logs:Create*'], Resource: ['*'] }],
  };

  test('reports unknown services, IAM types other than roles, and services the policy allows only in part', () => {
    expect(uncoveredResourceTypes(policy, ['AWS::Lambda::Function', 'AWS::Logs::LogGroup', 'AWS::IAM::User', UNMAPPED, 'AWS::CDK::Metadata', 'Custom::Seed']))
      .toEqual(['AWS::GameLift::Alias', 'AWS::IAM::User', 'AWS::Logs::LogGroup']);
  });
});
