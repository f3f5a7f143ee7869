import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PreviewAccessStack, ServiceApp } from '../../src';
import { readStageStacks } from '../../src/cli/cloud-assembly';
import { DeployedStack, executionPolicy, PolicyDocumentJson, render } from '../../src/policy/execution-policy';
import { cfnLintErrors, findTemplates } from '../helpers/cfn-lint';
import { CONNECTION_ARN, HANDLER_BUNDLE, pipelineStack, PIPELINE_ENV, serviceApp, THREE_STAGES } from '../helpers/pipeline';

const DEV = '222222222222';
const REGION = 'eu-west-1';
const BOUNDARY = `arn:aws:iam::${DEV}:policy/serverless-service-boundary`;
const stackArn = (name: string) => `arn:aws:cloudformation:${REGION}:${DEV}:stack/${name}/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
const roleArn = (pathAndName: string) => `arn:aws:iam::${DEV}:role/${pathAndName}`;

/** The access stack as `cdk deploy -c previewAccess=true` synthesizes it. */
function accessStack(): { stack: PreviewAccessStack; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-access-'));
  const app = new App({ outdir, context: { previewAccess: 'true' } });
  const stack = ServiceApp.addTo(app, {
    serviceName: 'orders',
    pipelineAccount: PIPELINE_ENV.account,
    pipelineRegion: PIPELINE_ENV.region,
    sourceRepository: { owner: 'acme', name: 'orders', connectionArn: CONNECTION_ARN },
    stages: THREE_STAGES,
    lambdaCodePath: HANDLER_BUNDLE,
  }) as PreviewAccessStack;
  app.synth();
  return { stack, outdir };
}

const { stack, outdir } = accessStack();
const template = Template.fromStack(stack);
const roles: Record<string, any> = template.findResources('AWS::IAM::Role');
const deployed: DeployedStack = { stackName: stack.stackName, account: DEV, region: REGION, partition: 'aws', template: template.toJSON() };

/** A role's inline policy with its ARNs rendered, as IAM holds it once deployed. */
function inlinePolicy(roleName: string, policyName: string): PolicyDocumentJson {
  const role = Object.values(roles).find((r) => r.Properties.RoleName === roleName);
  const document = role.Properties.Policies.find((p: any) => p.PolicyName === policyName).PolicyDocument;
  const renderAll = (value: any): any => {
    if (Array.isArray(value)) return value.map(renderAll);
    if (value && typeof value === 'object' && !('Fn::Join' in value) && !('Ref' in value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderAll(v)]));
    }
    return typeof value === 'string' ? value : render(value, deployed);
  };
  return renderAll(document);
}

async function decide(principal: string, identity: PolicyDocumentJson[], action: string, resource: string,
  context: Record<string, string> = {}): Promise<string> {
  const result = await runSimulation({
    request: { principal, action, resource: { resource, accountId: DEV }, contextVariables: context },
    identityPolicies: identity.map((policy, i) => ({ name: `policy${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

test('the access stack holds the two roles, outside every stage\'s and preview\'s path, deployed with the caller\'s credentials', () => {
  expect(stack.stackName).toBe('orders-preview-access');
  expect(stack.account).toBe(DEV);
  expect(Object.values(roles).map((r) => [r.Properties.RoleName, r.Properties.Path]).sort()).toEqual([
    ['orders-preview-deploy', '/serverless-service/orders/preview-access/'],
    ['orders-preview-execution', '/serverless-service/orders/preview-access/'],
  ]);
  // CliCredentialsStackSynthesizer: no bootstrap role to assume, whose execution policy could not create these roles.
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  expect(manifest.artifacts.PreviewAccess.properties.assumeRoleArn).toBeUndefined();
  template.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'orders-preview-deploy',
    AssumeRolePolicyDocument: {
      Statement: [PIPELINE_ENV.account, DEV].map((account) => ({
        Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] } },
      })),
    },
  });
  expect(cfnLintErrors(findTemplates(outdir))).toEqual([]);
});

describe('the preview deploy role, as IAM evaluates it', () => {
  const policy = inlinePolicy('orders-preview-deploy', 'DeployPreviews');
  const self = roleArn('serverless-service/orders/preview-access/orders-preview-deploy');
  const decideAs = (action: string, resource: string, context?: Record<string, string>) => decide(self, [policy], action, resource, context);

  test('may deploy, update and delete previews of pull requests with up to 6 digits, and sandboxes', async () => {
    for (const name of ['orders-pr-7', 'orders-pr-999999', 'orders-sandbox-alice']) {
      for (const action of ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DescribeStacks', 'cloudformation:DeleteStack']) {
        expect([name, action, await decideAs(action, stackArn(name))]).toEqual([name, action, 'Allowed']);
      }
    }
  });

  test('cannot update or delete the stages\' stacks, the pipeline\'s or its own access stack', async () => {
    for (const name of ['orders-dev', 'orders-dev-old', 'orders-staging', 'orders-prod', 'orders-pipeline', 'orders-preview-access', 'billing-pr-7']) {
      for (const action of ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack']) {
        expect([name, action, await decideAs(action, stackArn(name))]).toEqual([name, action, 'ImplicitlyDenied']);
      }
    }
  });

  test('cannot change any role itself, and passes only the preview execution role, only to CloudFormation', async () => {
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy']) {
      for (const role of ['serverless-service/orders/dev/orders-dev-FunctionRole', 'serverless-service/orders/dev/previews/pr-7/x', 'admin']) {
        expect(await decideAs(action, roleArn(role))).toBe('ImplicitlyDenied');
      }
    }
    const execution = roleArn('serverless-service/orders/preview-access/orders-preview-execution');
    expect(await decideAs('iam:PassRole', execution, { 'iam:PassedToService': 'cloudformation.amazonaws.com' })).toBe('Allowed');
    expect(await decideAs('iam:PassRole', execution, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe('ImplicitlyDenied');
    expect(await decideAs('iam:PassRole', roleArn(`cdk-hnb659fds-cfn-exec-role-${DEV}-${REGION}`), { 'iam:PassedToService': 'cloudformation.amazonaws.com' }))
      .toBe('ImplicitlyDenied');
  });
});

describe('the preview execution role, as IAM evaluates it with the account\'s execution policy', () => {
  const devOut = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-dev-'));
  const app = serviceApp(devOut);
  pipelineStack(THREE_STAGES, app);
  app.synth();
  const accountPolicy = executionPolicy(readStageStacks(devOut).filter((s) => s.account === DEV), BOUNDARY);
  const inline = inlinePolicy('orders-preview-execution', 'PreviewRolesOnly');
  const self = roleArn('serverless-service/orders/preview-access/orders-preview-execution');
  const decideAs = (action: string, resource: string, context?: Record<string, string>) =>
    decide(self, [accountPolicy, inline], action, resource, context);
  const previewRole = roleArn('serverless-service/orders/dev/previews/pr-7/orders-pr-7-ServiceFunctionRoleA1B2C3D4-AbCdEfGhIjKl');
  const devRole = roleArn('serverless-service/orders/dev/orders-dev-ServiceFunctionRoleA1B2C3D4-AbCdEfGhIjKl');

  test('creates and passes a preview\'s roles, within the boundary, as it does for the dev stage', async () => {
    expect(await decideAs('iam:CreateRole', previewRole, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('Allowed');
    expect(await decideAs('iam:PutRolePolicy', previewRole, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('Allowed');
    expect(await decideAs('iam:PassRole', previewRole, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe('Allowed');
    // Without the boundary, not even a preview's role.
    expect(await decideAs('iam:CreateRole', previewRole)).toBe('ImplicitlyDenied');
  });

  test('can change no role of the dev stage, nor any other role outside the previews\' path', async () => {
    // The account's policy alone lets CloudFormation change the dev stage's roles; the preview role's Deny stops it.
    expect(await decide(self, [accountPolicy], 'iam:PutRolePolicy', devRole, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('Allowed');
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:PassRole']) {
      for (const role of [devRole, roleArn('serverless-service/orders/preview-access/orders-preview-deploy'), roleArn('admin')]) {
        expect([action, role, await decideAs(action, role, { 'iam:PermissionsBoundary': BOUNDARY, 'iam:PassedToService': 'lambda.amazonaws.com' })])
          .toEqual([action, role, 'ExplicitlyDenied']);
      }
    }
  });

  test('lets CloudFormation invoke a copy\'s custom resource providers, as the stages\' (the account\'s lambda:*)', async () => {
    const provider = (stackName: string) => `arn:aws:lambda:${REGION}:${DEV}:function:${stackName}-CustomS3AutoDeleteObjectsCustomRes-AbCdEfGhIjKl`;
    expect(await decideAs('lambda:InvokeFunction', provider('orders-pr-7'))).toBe('Allowed');
    expect(await decideAs('lambda:InvokeFunction', provider('orders-sandbox-alice'))).toBe('Allowed');
  });
});
