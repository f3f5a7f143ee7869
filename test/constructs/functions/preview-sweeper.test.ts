import {
  CloudFormationClient, DeleteStackCommand, DescribeStacksCommand, ListStacksCommand, StackStatus, StackSummary,
} from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../src/constructs/functions/preview-sweeper';
import {
  assumedCloudFormation, deletePreview, isPreviewStack, previewPrefix, previewStacks, stalePreviews,
} from '../../../src/constructs/functions/preview-sweeper/sweep';
import { disposableStackName, previewStackPrefix, previewStageName, sandboxStackPrefix } from '../../../src/settings/preview-names';
import { captureConsole } from '../../helpers/console-capture';

const cfn = mockClient(CloudFormationClient);
const sts = mockClient(STSClient);
const output = captureConsole('log', 'error');

const ROLE = 'arn:aws:iam::222222222222:role/serverless-service/orders/preview-access/orders-preview-deploy';
const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-12-03T12:00:00Z');
const ago = (days: number, now = NOW) => new Date(now.getTime() - days * DAY);
const client = () => new CloudFormationClient({ region: 'eu-west-1' });
const notFound = (name: string) => Object.assign(new Error(`Stack with id ${name} does not exist`), { name: 'ValidationError' });

beforeEach(() => {
  cfn.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'ASIAPREVIEW', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3600_000) },
  });
});

describe('the names of previews', () => {
  test.each(['orders', 'orders-api', 'a', 'billing-pr'])('the prefix for "%s" is the package\'s previewStackPrefix', (service) => {
    expect(previewPrefix(service)).toBe(previewStackPrefix(service));
    expect(isPreviewStack(service, disposableStackName(service, previewStageName(42)))).toBe(true);
  });

  test('a preview is "<service>-pr-" followed by digits only', () => {
    expect(isPreviewStack('orders', 'orders-pr-12')).toBe(true);
    const others = ['orders-pr-12x', 'orders-pr-', 'orders-pr-1-2', 'orders-dev', `${sandboxStackPrefix('orders')}alice`,
      'billing-pr-1', 'orders-api-pr-1', 'xorders-pr-1', 'orders-pr-pr-1'];
    expect(others.filter((name) => isPreviewStack('orders', name))).toEqual([]);
    // Another service whose name starts with this one's: each sees only its own previews.
    expect(isPreviewStack('orders-pr', 'orders-pr-pr-1')).toBe(true);
    expect(isPreviewStack('orders-pr', 'orders-pr-1')).toBe(false);
  });
});

describe('previewStacks', () => {
  test('reads every page and keeps the service\'s previews only', async () => {
    const summary = (StackName: string): StackSummary => ({ StackName, StackStatus: StackStatus.CREATE_COMPLETE, CreationTime: NOW });
    cfn.on(ListStacksCommand)
      .resolvesOnce({ StackSummaries: ['orders-pr-1', 'orders-dev', 'billing-pr-2'].map(summary), NextToken: 'page-2' })
      .resolvesOnce({ StackSummaries: ['orders-sandbox-alice', 'orders-pr-12x', 'orders-pr-30'].map(summary) });

    const found = await previewStacks(client(), 'orders');

    expect(found.map((s) => s.StackName)).toEqual(['orders-pr-1', 'orders-pr-30']);
    // The paginator reuses one input object, so only the last call's token can be read back.
    const calls = cfn.commandCalls(ListStacksCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[1].NextToken).toBe('page-2');
  });

  test('asks for every status but DELETE_COMPLETE: a preview failing, rolling back or being deleted still counts', async () => {
    cfn.on(ListStacksCommand).resolves({ StackSummaries: [] });
    await previewStacks(client(), 'orders');
    const filter = cfn.commandCalls(ListStacksCommand)[0].args[0].input.StackStatusFilter!;
    expect(filter).not.toContain('DELETE_COMPLETE');
    expect(filter).toEqual(expect.arrayContaining(['CREATE_COMPLETE', 'CREATE_FAILED', 'ROLLBACK_COMPLETE', 'UPDATE_COMPLETE',
      'UPDATE_ROLLBACK_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_FAILED', 'REVIEW_IN_PROGRESS', 'IMPORT_COMPLETE']));
    expect(new Set(filter).size).toBe(Object.keys(StackStatus).length - 1);
  });
});

describe('stalePreviews', () => {
  const stack = (name: string, status: StackSummary['StackStatus'], created: Date, updated?: Date): StackSummary =>
    ({ StackName: name, StackStatus: status, CreationTime: created, LastUpdatedTime: updated });

  test('around the boundary: updated 6.9 days ago is kept, 7.1 days ago is swept', () => {
    const stacks = [
      stack('orders-pr-1', 'UPDATE_COMPLETE', ago(30), ago(6.9)),
      stack('orders-pr-2', 'UPDATE_COMPLETE', ago(30), ago(7.1)),
    ];
    expect(stalePreviews(stacks, NOW, 7).map((s) => s.StackName)).toEqual(['orders-pr-2']);
    expect(stalePreviews(stacks, NOW, 8)).toEqual([]);
  });

  test('a preview never updated is as old as its creation; a recent update keeps an old preview', () => {
    const stacks = [
      stack('orders-pr-3', 'CREATE_COMPLETE', ago(7.1)),
      stack('orders-pr-4', 'CREATE_COMPLETE', ago(6.9)),
      stack('orders-pr-5', 'UPDATE_COMPLETE', ago(40), ago(1)),
    ];
    expect(stalePreviews(stacks, NOW, 7).map((s) => s.StackName)).toEqual(['orders-pr-3']);
  });

  test('one being deleted is skipped, however old; one whose deletion failed is swept, however young', () => {
    const stacks = [
      stack('orders-pr-6', 'DELETE_IN_PROGRESS', ago(50)),
      stack('orders-pr-7', 'DELETE_FAILED', ago(1)),
    ];
    expect(stalePreviews(stacks, NOW, 7).map((s) => s.StackName)).toEqual(['orders-pr-7']);
  });
});

describe('deletePreview', () => {
  test('deletes a preview that exists, and says it was not a retry', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'orders-pr-7', StackStatus: 'UPDATE_COMPLETE', CreationTime: NOW }] });
    cfn.on(DeleteStackCommand).resolves({});
    expect(await deletePreview(client(), 'orders-pr-7')).toMatchObject({ stackName: 'orders-pr-7', previousStatus: 'UPDATE_COMPLETE', retry: false });
    expect(cfn.commandCalls(DeleteStackCommand).map((c) => c.args[0].input)).toEqual([{ StackName: 'orders-pr-7' }]);
  });

  test('asks again for a preview whose deletion failed, and reports why it failed', async () => {
    const reason = 'The following resource(s) failed to delete: [Bucket].';
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'orders-pr-7', StackStatus: 'DELETE_FAILED', StackStatusReason: reason, CreationTime: NOW }],
    });
    cfn.on(DeleteStackCommand).resolves({});
    expect(await deletePreview(client(), 'orders-pr-7')).toEqual({
      stackName: 'orders-pr-7', previousStatus: 'DELETE_FAILED', retry: true, reason,
    });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
  });

  test('a preview that does not exist is undefined and is not deleted; other errors are thrown', async () => {
    cfn.on(DescribeStacksCommand).rejectsOnce(notFound('orders-pr-7'))
      .rejectsOnce(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    expect(await deletePreview(client(), 'orders-pr-7')).toBeUndefined();
    await expect(deletePreview(client(), 'orders-pr-7')).rejects.toThrow('User is not authorized');
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });
});

test('assumedCloudFormation: a client of the region with the assumed role\'s credentials, and a valid session name', async () => {
  const assumed = await assumedCloudFormation(ROLE, 'eu-central-1', 'orders-pr-7 deploy/by:someone');
  expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([{ RoleArn: ROLE, RoleSessionName: 'orders-pr-7-deploy-by-someone' }]);
  expect(await assumed.config.region()).toBe('eu-central-1');
  expect(await assumed.config.credentials()).toMatchObject({ accessKeyId: 'ASIAPREVIEW', secretAccessKey: 'secret', sessionToken: 'token' });
});

describe('the sweeper\'s handler', () => {
  const ENV = { SERVICE_NAME: 'orders', PREVIEW_DEPLOY_ROLE_ARN: ROLE, PREVIEW_REGION: 'eu-west-1', MAX_AGE_DAYS: '7' };
  const saved = process.env;
  beforeEach(() => { process.env = { ...saved, ...ENV }; });
  afterEach(() => { process.env = saved; });

  /** The dev account's stacks, as ListStacks and DescribeStacks answer for each. */
  function account(stacks: StackSummary[]) {
    cfn.on(ListStacksCommand).resolves({ StackSummaries: stacks });
    for (const s of stacks) cfn.on(DescribeStacksCommand, { StackName: s.StackName }).resolves({ Stacks: [{ ...s, CreationTime: s.CreationTime! }] });
    cfn.on(DeleteStackCommand).resolves({});
  }

  test('deletes the stale previews through the deploy role, logs each, and returns what it swept and kept', async () => {
    const now = new Date();
    account([
      { StackName: 'orders-pr-1', StackStatus: 'CREATE_COMPLETE', CreationTime: ago(10, now) },
      { StackName: 'orders-pr-2', StackStatus: 'UPDATE_COMPLETE', CreationTime: ago(10, now), LastUpdatedTime: ago(1, now) },
      { StackName: 'orders-pr-3', StackStatus: 'DELETE_FAILED', StackStatusReason: 'Bucket not empty', CreationTime: ago(2, now) },
      { StackName: 'orders-pr-4', StackStatus: 'DELETE_IN_PROGRESS', CreationTime: ago(30, now) },
      { StackName: 'orders-prod', StackStatus: 'UPDATE_COMPLETE', CreationTime: ago(300, now) },
      { StackName: 'orders-sandbox-alice', StackStatus: 'CREATE_COMPLETE', CreationTime: ago(300, now) },
    ]);

    expect(await handler()).toEqual({ swept: ['orders-pr-1', 'orders-pr-3'], kept: 2 });

    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toEqual({ RoleArn: ROLE, RoleSessionName: 'orders-preview-sweeper' });
    const deleteCall = cfn.commandCalls(DeleteStackCommand);
    expect(deleteCall.map((c) => c.args[0].input.StackName)).toEqual(['orders-pr-1', 'orders-pr-3']);
    expect(await (deleteCall[0].thisValue as CloudFormationClient).config.region()).toBe('eu-west-1');
    expect(output.map((line) => JSON.parse(line))).toEqual([
      { message: 'preview deleted', stackName: 'orders-pr-1', lastDeployed: ago(10, now).toISOString(), maxAgeDays: 7 },
      {
        message: 'preview deletion retried',
        stackName: 'orders-pr-3',
        lastDeployed: ago(2, now).toISOString(),
        previousStatus: 'DELETE_FAILED',
        failureReason: 'Bucket not empty',
      },
      { message: 'sweep done', swept: ['orders-pr-1', 'orders-pr-3'], kept: 2 },
    ]);
  });

  test('MAX_AGE_DAYS decides: with 30 days, a preview of 10 days is kept', async () => {
    process.env.MAX_AGE_DAYS = '30';
    account([{ StackName: 'orders-pr-1', StackStatus: 'CREATE_COMPLETE', CreationTime: ago(10, new Date()) }]);
    expect(await handler()).toEqual({ swept: [], kept: 1 });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  test('a deletion that cannot start does not stop the others, and fails the invocation after them', async () => {
    const old = ago(10, new Date());
    account([
      { StackName: 'orders-pr-1', StackStatus: 'CREATE_COMPLETE', CreationTime: old },
      { StackName: 'orders-pr-2', StackStatus: 'CREATE_COMPLETE', CreationTime: old },
    ]);
    cfn.on(DeleteStackCommand, { StackName: 'orders-pr-1' }).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

    await expect(handler()).rejects.toThrow('Could not start deleting orders-pr-1: see the log lines above.');
    expect(cfn.commandCalls(DeleteStackCommand).map((c) => c.args[0].input.StackName)).toEqual(['orders-pr-1', 'orders-pr-2']);
    expect(output.map((line) => JSON.parse(line).message)).toEqual(['preview not deleted', 'preview deleted', 'sweep done']);
  });

  test.each([
    ['PREVIEW_DEPLOY_ROLE_ARN', '', 'PREVIEW_DEPLOY_ROLE_ARN is not set'],
    ['MAX_AGE_DAYS', 'seven', 'MAX_AGE_DAYS must be a number of days above 0, got "seven".'],
    ['MAX_AGE_DAYS', '0', 'got "0"'],
  ])('%s="%s" is refused before any call: %s', async (name, value, message) => {
    process.env[name] = value;
    await expect(handler()).rejects.toThrow(message);
    expect(sts.calls()).toHaveLength(0);
  });
});
