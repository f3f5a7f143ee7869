import { GetAliasCommand, LambdaClient, ListVersionsByFunctionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../src/constructs/functions/rollback';
import { captureConsole } from '../../helpers/console-capture';

const lambda = mockClient(LambdaClient);
const FUNCTION = 'orders-Function-AbC123';

function versions(...numbers: string[]) {
  return numbers.map((Version) => ({ Version, FunctionName: FUNCTION }));
}

function aliasAt(FunctionVersion: string, AdditionalVersionWeights?: Record<string, number>) {
  lambda.on(GetAliasCommand).resolves({
    Name: 'live',
    FunctionVersion,
    RevisionId: 'rev-1',
    RoutingConfig: AdditionalVersionWeights ? { AdditionalVersionWeights } : undefined,
  });
}

const logs = captureConsole('log');
const savedEnv = process.env;

beforeEach(() => {
  lambda.reset();
  lambda.on(UpdateAliasCommand).resolves({});
  process.env = { ...savedEnv, FUNCTION_NAME: FUNCTION };
  delete process.env.ALIAS_NAME;
});

afterEach(() => {
  process.env = savedEnv;
  jest.restoreAllMocks();
});

test('moves the live alias to the highest lower version, found across pages, comparing numerically', async () => {
  aliasAt('12');
  lambda.on(ListVersionsByFunctionCommand)
    .resolves({ Versions: versions('$LATEST', '1', '2', '9'), NextMarker: 'page-2' })
    .on(ListVersionsByFunctionCommand, { Marker: 'page-2' })
    .resolves({ Versions: versions('10', '11', '12') });

  await expect(handler()).resolves.toEqual({ rolledBack: true, from: '12', to: '11' });

  const pages = lambda.commandCalls(ListVersionsByFunctionCommand).map((c) => c.args[0].input);
  expect(pages).toEqual([{ FunctionName: FUNCTION, Marker: undefined }, { FunctionName: FUNCTION, Marker: 'page-2' }]);
  expect(lambda.commandCalls(GetAliasCommand)[0]?.args[0].input).toEqual({ FunctionName: FUNCTION, Name: 'live' });
  expect(JSON.parse(logs[0])).toMatchObject({ functionName: FUNCTION, aliasName: 'live', rolledBack: true, from: '12', to: '11' });
  expect(logs).toHaveLength(1);
});

test('ignores versions higher than the current one', async () => {
  aliasAt('5');
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: versions('3', '4', '5', '6', '7') });

  await expect(handler()).resolves.toEqual({ rolledBack: true, from: '5', to: '4' });
});

test('skips $LATEST and anything that is not a version number', async () => {
  aliasAt('3');
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: versions('$LATEST', '2.5', '', '1', 'live', '2') });

  await expect(handler()).resolves.toEqual({ rolledBack: true, from: '3', to: '2' });
});

test('clears any routing weights and guards against a concurrent change of the alias', async () => {
  aliasAt('8');
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: versions('$LATEST', '7', '8') });

  await handler();

  const updates = lambda.commandCalls(UpdateAliasCommand);
  expect(updates).toHaveLength(1);
  expect(updates[0].args[0].input).toEqual({
    FunctionName: FUNCTION,
    Name: 'live',
    FunctionVersion: '7',
    RoutingConfig: { AdditionalVersionWeights: {} },
    RevisionId: 'rev-1',
  });
});

test('the first release has nothing to roll back to: no update, rolledBack false', async () => {
  aliasAt('1');
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: versions('$LATEST', '1') });

  await expect(handler()).resolves.toEqual({ rolledBack: false, from: '1', reason: 'no earlier version to roll back to' });
  expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  expect(JSON.parse(logs[0])).toMatchObject({ rolledBack: false, from: '1' });
});

test('mid-shift, all traffic returns to the primary (old) version, not to the one below it', async () => {
  // CodeDeploy shifting 5 -> 6: the primary is still 5, version 6 gets 10%.
  aliasAt('5', { 6: 0.1 });
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: versions('$LATEST', '3', '4', '5', '6') });

  await expect(handler()).resolves.toEqual({ rolledBack: true, from: '6', to: '5' });
  expect(lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input).toMatchObject({
    FunctionVersion: '5',
    RoutingConfig: { AdditionalVersionWeights: {} },
  });
});

test('a zero weight is not a shift in progress', async () => {
  aliasAt('6', { 5: 0 });
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: versions('4', '5', '6') });

  await expect(handler()).resolves.toEqual({ rolledBack: true, from: '6', to: '5' });
  expect(lambda.commandCalls(ListVersionsByFunctionCommand)).toHaveLength(1);
});

test('ALIAS_NAME selects another alias', async () => {
  process.env.ALIAS_NAME = 'canary';
  aliasAt('4');
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: versions('3', '4') });

  await handler();

  expect(lambda.commandCalls(GetAliasCommand)[0]?.args[0].input.Name).toBe('canary');
  expect(lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input.Name).toBe('canary');
});

test('an alias on $LATEST is an error, and nothing is updated', async () => {
  aliasAt('$LATEST');

  await expect(handler()).rejects.toThrow(/\$LATEST/);
  expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
});

test('a missing FUNCTION_NAME is an error before any call', async () => {
  delete process.env.FUNCTION_NAME;

  await expect(handler()).rejects.toThrow('FUNCTION_NAME');
  expect(lambda.calls()).toHaveLength(0);
});
