import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import serverlessExpress from '@codegenie/serverless-express';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, healthCheckEvent } from '../../../src/constructs/functions/pre-traffic-hook';
import { createApp } from '../../../template/src/app';
import { captureConsole } from '../../helpers/console-capture';

const lambda = mockClient(LambdaClient);
const codedeploy = mockClient(CodeDeployClient);

const TARGET = 'arn:aws:lambda:eu-west-1:222233334444:function:orders-Function:7';
const event = { DeploymentId: 'd-ABCDEF123', LifecycleEventHookExecutionId: 'hook-exec-42' };

// Lambda returns the payload as bytes (a Uint8ArrayBlobAdapter, which is a Uint8Array).
function payload(value: unknown): InvokeCommandOutput['Payload'] {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) as unknown as InvokeCommandOutput['Payload'];
}

function reportedStatus(): string | undefined {
  const calls = codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input.status;
}

function sentEvent(): APIGatewayProxyEvent {
  const calls = lambda.commandCalls(InvokeCommand);
  expect(calls).toHaveLength(1);
  return JSON.parse(calls[0].args[0].input.Payload as string) as APIGatewayProxyEvent;
}

const logs = captureConsole('log');
const savedEnv = process.env;

beforeEach(() => {
  lambda.reset();
  codedeploy.reset();
  codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({ lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId });
  process.env = { ...savedEnv, TARGET_VERSION_ARN: TARGET, HEALTH_PATH: '/api/v1/health' };
});

afterEach(() => {
  process.env = savedEnv;
  jest.restoreAllMocks();
});

function logLine(): Record<string, unknown> {
  expect(logs).toHaveLength(1);
  return JSON.parse(logs[0]) as Record<string, unknown>;
}

test('a 200 from the new version reports Succeeded with the deployment and hook ids', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ statusCode: 200, body: '{"status":"ok"}' }) });

  await handler(event);

  expect(codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand)[0]?.args[0].input).toEqual({
    deploymentId: 'd-ABCDEF123',
    lifecycleEventHookExecutionId: 'hook-exec-42',
    status: 'Succeeded',
  });
  expect(logLine()).toMatchObject({ deploymentId: 'd-ABCDEF123', target: TARGET, path: '/api/v1/health', status: 'Succeeded', healthy: true });
});

test('logs the X-Ray trace it runs in and the health check\'s request id, which the new version\'s trace carries', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ statusCode: 200 }) });
  process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

  await handler(event);

  expect(logLine()).toMatchObject({ traceId: '1-5759e988-bd862e3fe1be46a994272793', requestId: sentEvent().requestContext.requestId });
});

test('invokes TARGET_VERSION_ARN with a REST proxy GET on the health route', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ statusCode: 200 }) });

  await handler(event);

  expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.FunctionName).toBe(TARGET);
  const sent = sentEvent();
  expect(sent).toMatchObject({
    resource: '/{proxy+}',
    path: '/api/v1/health',
    pathParameters: { proxy: 'api/v1/health' },
    httpMethod: 'GET',
    headers: { accept: 'application/json' },
    body: null,
    isBase64Encoded: false,
    requestContext: { httpMethod: 'GET', path: '/api/v1/health', stage: 'live', identity: { sourceIp: '127.0.0.1' } },
  });
  expect(sent.requestContext.requestId).toEqual(expect.any(String));
});

test('HEALTH_PATH overrides the checked route', async () => {
  process.env.HEALTH_PATH = '/internal/ping';
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ statusCode: 200 }) });

  await handler(event);

  expect(sentEvent()).toMatchObject({ path: '/internal/ping', pathParameters: { proxy: 'internal/ping' } });
  expect(logLine()).toMatchObject({ path: '/internal/ping' });
});

test('a 500 from the new version reports Failed and says why', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ statusCode: 500, body: '{"error":"boom"}' }) });

  await handler(event);

  expect(reportedStatus()).toBe('Failed');
  expect(logLine()).toMatchObject({ status: 'Failed', healthy: false, statusCode: 500, reason: expect.stringContaining('500') });
});

test('a function error (the handler threw) reports Failed', async () => {
  lambda.on(InvokeCommand).resolves({
    StatusCode: 200,
    FunctionError: 'Unhandled',
    // Even a payload that looks healthy does not count when the function errored.
    Payload: payload({ errorType: 'Error', errorMessage: 'Cannot find module', statusCode: 200 }),
  });

  await handler(event);

  expect(reportedStatus()).toBe('Failed');
  expect(logLine().reason).toEqual(expect.stringContaining('Unhandled'));
});

test('a payload that is not a JSON object with statusCode reports Failed', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload('not json') });

  await handler(event);

  expect(reportedStatus()).toBe('Failed');
  expect(logLine().reason).toEqual(expect.stringContaining('threw'));
});

test('an invoke that throws still reports Failed, without throwing', async () => {
  lambda.on(InvokeCommand).rejects(new Error('AccessDeniedException: not authorized to perform lambda:InvokeFunction'));

  await expect(handler(event)).resolves.toBeUndefined();

  expect(reportedStatus()).toBe('Failed');
  expect(logLine().reason).toEqual(expect.stringContaining('AccessDeniedException'));
});

test.each(['TARGET_VERSION_ARN', 'HEALTH_PATH'])('a missing %s reports Failed without invoking anything, naming it', async (name) => {
  delete process.env[name];

  await handler(event);

  expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  expect(reportedStatus()).toBe('Failed');
  expect(logLine().reason).toBe(`${name} not set`);
});

test('a failing report propagates, so CodeDeploy times the hook out and fails the deployment', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ statusCode: 200 }) });
  codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).rejects(new Error('ThrottlingException'));

  await expect(handler(event)).rejects.toThrow('ThrottlingException');
});

describe('the synthetic event, given to serverless-express and the service template app', () => {
  const app = serverlessExpress({ app: createApp() });
  const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

  test('reaches the health route', async () => {
    const res = await app(healthCheckEvent('/api/v1/health'), context, () => undefined) as APIGatewayProxyResult;
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });

  test('is routed by its path (an unknown path is a 404)', async () => {
    const res = await app(healthCheckEvent('/api/v1/nope'), context, () => undefined) as APIGatewayProxyResult;
    expect(res.statusCode).toBe(404);
  });
});
