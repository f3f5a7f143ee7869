import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { CustomResource, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IServiceExtension } from '../../src';
import { readStageStacks } from '../../src/cli/cloud-assembly';
import { DeployedStack, executionPolicy, PolicyDocumentJson, rolesOutsideScope } from '../../src/policy/execution-policy';
import { permissionsBoundary, policySize } from '../../src/policy/permissions-boundary';
import { pipelineStack, serviceApp } from '../helpers/pipeline';

// The longest names a service and a stage may have: 30 and 20 characters.
const SERVICE = 'orders-abcdefghijklmnopqrstuvw';
const STAGE = 'dev-abcdefghijklmnop';
const ACCOUNT = '222222222222';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/serverless-service-boundary`;
const ROLE_PATH = `/serverless-service/${SERVICE}/${STAGE}/`;
/** A role name as CloudFormation generates it for this stack, at IAM's 64 characters. */
const GENERATED_NAME = `${SERVICE}-${STAGE}-ServiceFunctionRoleA1B2C3D4-AbCdEfGhIjKl`.slice(0, 64);

function synthesizedStage(extension?: IServiceExtension, nagChecks = true): DeployedStack[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const app = serviceApp(outdir);
  pipelineStack([{ name: STAGE, account: ACCOUNT, region: 'eu-west-1' }], app, {
    serviceName: SERVICE,
    extension,
    nagChecks,
    functionPolicyStatements: [{ actions: ['dynamodb:GetItem'], resources: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`] }],
  });
  app.synth();
  return readStageStacks(outdir);
}

/** What IAM decides for one request of a principal with these identity policies (and boundary). */
async function decide(identity: PolicyDocumentJson, action: string, resource: string, context: Record<string, string> = {},
  boundary?: PolicyDocumentJson): Promise<string> {
  const result = await runSimulation({
    request: { principal: `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role`, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    identityPolicies: [{ name: 'policy', policy: identity }],
    permissionBoundaryPolicies: boundary ? [{ name: 'boundary', policy: boundary }] : undefined,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

const stacks = synthesizedStage();

describe('every role of a stage', () => {
  test('lies under the stage\'s path and carries the boundary: none is outside the execution policy\'s scope', () => {
    const roles = stacks.flatMap((s) => Object.values(s.template.Resources ?? {}).filter((r) => r.Type === 'AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThanOrEqual(5);
    for (const role of roles) expect(role.Properties.Path).toBe(ROLE_PATH);
    expect(rolesOutsideScope(stacks, BOUNDARY)).toEqual([]);
  });

  test('a role without the boundary, or outside the path, is caught, named', () => {
    const stripped: DeployedStack[] = JSON.parse(JSON.stringify(stacks));
    const [[id, role]] = Object.entries(stripped[0].template.Resources!).filter(([, r]) => r.Type === 'AWS::IAM::Role');
    delete role.Properties.PermissionsBoundary;
    role.Properties.Path = '/';
    expect(rolesOutsideScope(stripped, BOUNDARY)).toEqual([
      `${SERVICE}-${STAGE}/${id} has no path of the service`,
      `${SERVICE}-${STAGE}/${id} is not bounded by ${BOUNDARY}`,
    ]);
  });
});

describe('the execution policy, as IAM evaluates it', () => {
  const policy = executionPolicy(stacks, BOUNDARY);
  const role = `arn:aws:iam::${ACCOUNT}:role${ROLE_PATH}${GENERATED_NAME}`;

  test('lets CloudFormation create a role with the longest names only with the boundary', async () => {
    expect(GENERATED_NAME).toHaveLength(64);
    expect(await decide(policy, 'iam:CreateRole', role, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('Allowed');
    expect(await decide(policy, 'iam:CreateRole', role)).toBe('ImplicitlyDenied');
    expect(await decide(policy, 'iam:CreateRole', role, { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess` }))
      .toBe('ImplicitlyDenied');
  });

  test('lets it put a policy on the stage\'s roles, within the boundary, and on no role outside the path', async () => {
    expect(await decide(policy, 'iam:PutRolePolicy', role, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('Allowed');
    expect(await decide(policy, 'iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/ops/admin`, { 'iam:PermissionsBoundary': BOUNDARY }))
      .toBe('ImplicitlyDenied');
    expect(await decide(policy, 'iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/${SERVICE}-${STAGE}-Role`, { 'iam:PermissionsBoundary': BOUNDARY }))
      .toBe('ImplicitlyDenied');
  });

  test('never lets it remove a boundary or change the boundary policy', async () => {
    expect(await decide(policy, 'iam:DeleteRolePermissionsBoundary', role)).toBe('ExplicitlyDenied');
    expect(await decide(policy, 'iam:CreatePolicyVersion', BOUNDARY)).toBe('ExplicitlyDenied');
    expect(await decide(policy, 'iam:PutRolePermissionsBoundary', role, { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/Other` }))
      .toBe('ImplicitlyDenied');
  });

  test('lets it delete the roles earlier releases created without a path (which 0.4.0 replaces), and do nothing else to them', async () => {
    const earlier = `arn:aws:iam::${ACCOUNT}:role/${SERVICE}-${STAGE}-ServiceFunctionRoleA1B2C3D4-AbCdEfGhIjKl`;
    for (const action of ['iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:DeleteRole']) {
      expect(await decide(policy, action, earlier)).toBe('Allowed');
    }
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:PassRole']) {
      expect(await decide(policy, action, earlier, { 'iam:PermissionsBoundary': BOUNDARY, 'iam:PassedToService': 'lambda.amazonaws.com' }))
        .toBe('ImplicitlyDenied');
    }
    expect(await decide(policy, 'iam:DeleteRole', `arn:aws:iam::${ACCOUNT}:role/ops-admin`)).toBe('ImplicitlyDenied');
  });

  test('lets API Gateway create its own service-linked role for the stage\'s tracing, and no other service\'s', async () => {
    const slr = (servicePath: string) => `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${servicePath}`;
    expect(await decide(policy, 'iam:CreateServiceLinkedRole', slr('ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway'),
      { 'iam:AWSServiceName': 'ops.apigateway.amazonaws.com' })).toBe('Allowed');
    expect(await decide(policy, 'iam:CreateServiceLinkedRole', slr('elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing'),
      { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' })).toBe('ImplicitlyDenied');
  });

  test('passes the stage\'s roles only to the services that assume them', async () => {
    expect(await decide(policy, 'iam:PassRole', role, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe('Allowed');
    expect(await decide(policy, 'iam:PassRole', role, { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe('ImplicitlyDenied');
  });
});

describe('the permissions boundary, as IAM evaluates it', () => {
  const boundary = permissionsBoundary(stacks);
  const administrator: PolicyDocumentJson = { Version: '2012-10-17', Statement: [{ Sid: 'All', Effect: 'Allow', Action: ['*'], Resource: ['*'] }] };

  test('lets a role do what the stage\'s roles need, the service\'s functionPolicyStatements included', async () => {
    expect(await decide(administrator, 'dynamodb:GetItem', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`, {}, boundary)).toBe('Allowed');
    expect(await decide(administrator, 'logs:PutLogEvents', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/x:log-stream:y`, {}, boundary))
      .toBe('Allowed');
    // Active tracing, on by default: Lambda refuses it to a role that may not send traces.
    for (const action of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords']) {
      expect(await decide(administrator, action, '*', {}, boundary)).toBe('Allowed');
    }
    expect(await decide(administrator, 'xray:GetTraceSummaries', '*', {}, boundary)).toBe('ImplicitlyDenied');
  });

  test('caps a role given AdministratorAccess: no IAM, no other table, no other service', async () => {
    expect(await decide(administrator, 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/mallory`, {}, boundary)).toBe('ImplicitlyDenied');
    expect(await decide(administrator, 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin`, {}, boundary)).toBe('ImplicitlyDenied');
    expect(await decide(administrator, 'dynamodb:DeleteTable', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`, {}, boundary)).toBe('ImplicitlyDenied');
    expect(await decide(administrator, 's3:GetObject', 'arn:aws:s3:::payroll/salaries.csv', {}, boundary)).toBe('ImplicitlyDenied');
  });

  test('fits IAM\'s size limit for a managed policy', () => {
    expect(policySize(boundary)).toBeLessThan(6144);
  });

  test('lets drift detection start a detection of the stack and read the stage\'s roles, and no role change or read another role', async () => {
    const stageRole = `arn:aws:iam::${ACCOUNT}:role${ROLE_PATH}${GENERATED_NAME}`;
    const stack = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${SERVICE}-${STAGE}/489e5570-df85-11e7-a7d9-50example`;
    expect(await decide(administrator, 'cloudformation:DetectStackDrift', stack, {}, boundary)).toBe('Allowed');
    for (const action of ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies']) {
      expect(await decide(administrator, action, stageRole, {}, boundary)).toBe('Allowed');
    }
    expect(await decide(administrator, 'iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/ops/admin`, {}, boundary)).toBe('ImplicitlyDenied');
    expect(await decide(administrator, 'iam:PutRolePolicy', stageRole, {}, boundary)).toBe('ImplicitlyDenied');
    expect(await decide(administrator, 'iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/mallory`, {}, boundary)).toBe('ImplicitlyDenied');
  });
});

test('a role allowed IAM reads of anything but roles, or more than reads, still cannot be bounded', () => {
  const withRole = (actions: string[], resource: string): DeployedStack[] => [{
    stackName: 'orders-dev',
    account: ACCOUNT,
    region: 'eu-west-1',
    partition: 'aws',
    template: { Resources: { R: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] } }] } } } },
  }];
  const ownRoles = `arn:aws:iam::${ACCOUNT}:role/*orders-dev-*`;
  expect(() => permissionsBoundary(withRole(['iam:GetRole', 'iam:GetRolePolicy'], ownRoles))).not.toThrow();
  expect(() => permissionsBoundary(withRole(['iam:GetRole'], '*'))).toThrow('orders-dev/R is allowed iam:GetRole');
  expect(() => permissionsBoundary(withRole(['iam:GetUser'], `arn:aws:iam::${ACCOUNT}:user/x`))).toThrow('orders-dev/R is allowed iam:GetUser');
  expect(() => permissionsBoundary(withRole(['iam:GetRole', 'iam:PutRolePolicy'], ownRoles))).toThrow('orders-dev/R is allowed iam:GetRole; orders-dev/R is allowed iam:PutRolePolicy');
});

test('a custom resource gets its provider function invoked, and no cloudformation:* anywhere', () => {
  const withCustomResource = synthesizedStage({
    extendStage(stage) {
      const provider = new lambda.Function(stage.serviceStack, 'SeedProvider', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({})'),
        timeout: Duration.seconds(10),
      });
      new CustomResource(stage.serviceStack, 'Seed', { serviceToken: provider.functionArn });
    },
    extendPipeline() {},
  }, false);
  const policy = executionPolicy(withCustomResource, BOUNDARY);
  expect(policy.Statement.flatMap((s) => s.Action).filter((a) => a.startsWith('cloudformation:'))).toEqual([]);
  expect(policy.Statement.find((s) => s.Sid === 'InvokeCustomResourceProviders')).toEqual({
    Sid: 'InvokeCustomResourceProviders',
    Effect: 'Allow',
    Action: ['lambda:InvokeFunction'],
    Resource: [`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${SERVICE}-${STAGE}-*`],
  });
  expect(withCustomResource.some((s) => Object.values(s.template.Resources ?? {}).some((r) => r.Type === 'AWS::CloudFormation::CustomResource'))).toBe(true);
});
