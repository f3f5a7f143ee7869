import { readFileSync } from 'fs';
import { join } from 'path';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handler } from '../src/handler.generated';

// Real API Gateway payloads (test/events/), pointed at the route under test.
function loadEvent<T>(fileName: string): T {
  return JSON.parse(readFileSync(join(__dirname, 'events', fileName), 'utf8')) as T;
}

function restApiEvent(method: string, path: string): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>('apigw-request.json');
  return {
    ...event,
    httpMethod: method,
    path,
    pathParameters: { proxy: path.slice(1) },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body: null,
    isBase64Encoded: false,
  };
}

function httpApiEvent(method: string, path: string): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('apigw-v2-request-no-authorizer.json');
  const { ['content-length']: _ignored, ...headers } = event.headers;
  return {
    ...event,
    rawPath: path,
    headers,
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method, path } },
  };
}

const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'service-handler',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

async function invoke(event: unknown): Promise<APIGatewayProxyResult> {
  return (await handler(event, context, () => undefined)) as APIGatewayProxyResult;
}

describe.each([
  ['API Gateway REST API (payload 1.0)', restApiEvent],
  ['API Gateway HTTP API (payload 2.0)', httpApiEvent],
])('the Lambda handler behind %s', (_source, makeEvent) => {
  test('answers GET /api/v1/health with 200 and JSON', async () => {
    const res = await invoke(makeEvent('GET', '/api/v1/health'));

    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });

  test('answers an unknown path with a JSON 404', async () => {
    const res = await invoke(makeEvent('GET', '/api/v1/does-not-exist'));

    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body).error.status).toBe(404);
  });
});
