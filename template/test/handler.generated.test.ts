import express from 'express';
import { logger } from '../src/logger.generated';
import {
  albEvent, AWS_REQUEST_ID, functionUrlEvent, header, httpApiEvent, HttpRequest, invoke, jsonBody, loadEvent, restApiEvent,
} from './support/lambda.generated';

// The real handler, driven with real Lambda events (see test/support/lambda.generated.ts), around
// the template's plumbing and test-only routes (test/support/probe-app.generated.ts), whatever the service's own routes are.
jest.mock('../src/app', () => ({ createApp: () => jest.requireActual('./support/probe-app.generated').probeApp() }));

const REST_API_REQUEST_ID = loadEvent<any>('apigw-request.json').requestContext.requestId;
const HTTP_API_REQUEST_ID = loadEvent<any>('apigw-v2-request-no-authorizer.json').requestContext.requestId;
const JSON_HEADERS = { 'content-type': ['application/json'] };

let logError: jest.SpyInstance;
beforeEach(() => {
  logError = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe.each([
  ['API Gateway REST API (payload 1.0)', restApiEvent, REST_API_REQUEST_ID],
  ['API Gateway HTTP API (payload 2.0)', httpApiEvent, HTTP_API_REQUEST_ID],
])('the Lambda handler behind %s', (_source, makeEvent: (req: HttpRequest) => unknown, apiRequestId: string) => {
  test('answers GET /api/v1/health with 200 and JSON', async () => {
    const res = await invoke(makeEvent({ path: '/api/v1/health' }));

    expect(res.statusCode).toBe(200);
    expect(jsonBody(res)).toEqual({ status: 'ok' });
  });

  test('answers an unknown path with a JSON 404', async () => {
    const res = await invoke(makeEvent({ path: '/api/v1/does-not-exist' }));

    expect(res.statusCode).toBe(404);
    expect(jsonBody(res).error).toEqual({ status: 404, message: 'No route for GET /api/v1/does-not-exist', requestId: apiRequestId });
  });

  test("uses API Gateway's request id, not the caller's", async () => {
    const res = await invoke(makeEvent({ path: '/api/v1/health', headers: { 'x-request-id': ['chosen-by-caller'] } }));

    expect(header(res, 'x-request-id')).toBe(apiRequestId);
  });

  test('puts the security headers on the response', async () => {
    const res = await invoke(makeEvent({ path: '/api/v1/health' }));

    expect(header(res, 'content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(header(res, 'x-content-type-options')).toBe('nosniff');
    expect(header(res, 'strict-transport-security')).toMatch(/^max-age=/);
    expect(header(res, 'x-powered-by')).toBeUndefined();
  });

  test('hands a base64-encoded JSON body to the app decoded', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'Zoë', tags: ['日本'] })).toString('base64');

    const res = await invoke(makeEvent({ method: 'POST', path: '/api/v1/echo', headers: JSON_HEADERS, body, isBase64Encoded: true }));

    expect(res.statusCode).toBe(200);
    expect(jsonBody(res)).toEqual({ body: { name: 'Zoë', tags: ['日本'] } });
  });

  test('answers malformed JSON with a JSON 400 carrying the request id', async () => {
    const res = await invoke(makeEvent({ method: 'POST', path: '/api/v1/echo', headers: JSON_HEADERS, body: '{"a": 1,,}' }));

    expect(res.statusCode).toBe(400);
    expect(jsonBody(res).error).toEqual({ status: 400, message: 'Malformed request body', requestId: apiRequestId });
  });

  test('answers malformed base64-encoded JSON with a JSON 400', async () => {
    const body = Buffer.from('{"a": ').toString('base64');

    const res = await invoke(makeEvent({ method: 'POST', path: '/api/v1/echo', headers: JSON_HEADERS, body, isBase64Encoded: true }));

    expect(res.statusCode).toBe(400);
  });

  test('answers a body over the limit with a JSON 413', async () => {
    const body = JSON.stringify({ big: 'x'.repeat(1024 * 1024) });

    const res = await invoke(makeEvent({ method: 'POST', path: '/api/v1/echo', headers: JSON_HEADERS, body }));

    expect(res.statusCode).toBe(413);
    expect(jsonBody(res).error.status).toBe(413);
  });

  test('answers a body sent without a JSON content type with a JSON 415', async () => {
    const res = await invoke(makeEvent({ method: 'POST', path: '/api/v1/echo', headers: { 'content-type': ['text/plain'] }, body: '{"a": 1}' }));

    expect(res.statusCode).toBe(415);
    expect(jsonBody(res).error.requestId).toBe(apiRequestId);
  });

  test.each([
    ['percent-encoded', `/api/v1/${encodeURIComponent('échos')}/${encodeURIComponent('日本')}`],
    ['decoded', '/api/v1/échos/日本'],
  ])('answers a non-ASCII path (%s) with a JSON 404', async (_form, path) => {
    const res = await invoke(makeEvent({ path }));

    expect(res.statusCode).toBe(404);
    expect(jsonBody(res).error).toMatchObject({ status: 404, requestId: apiRequestId });
  });

  test.each([
    ['percent-encoded', `/api/v1/echo/${encodeURIComponent('日本')}`],
    ['decoded', '/api/v1/echo/日本'],
  ])('routes a non-ASCII path parameter (%s)', async (_form, path) => {
    const res = await invoke(makeEvent({ path }));

    expect(res.statusCode).toBe(200);
    expect(jsonBody(res)).toEqual({ word: '日本' });
  });

  test('answers an error thrown in a route with a JSON 500, and logs it with the request id', async () => {
    // The health route's res.json throws, as a bug in a route would.
    jest.spyOn(express.response, 'json').mockImplementationOnce(() => {
      throw new Error('secret detail');
    });

    const res = await invoke(makeEvent({ path: '/api/v1/health' }));

    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret detail');
    expect(jsonBody(res).error).toEqual({ status: 500, message: 'Internal server error', requestId: apiRequestId });
    expect(logError).toHaveBeenCalledWith('Unhandled error', {
      requestId: apiRequestId,
      error: expect.objectContaining({ message: 'secret detail' }),
    });
  });
});

describe('the Lambda handler behind an Application Load Balancer', () => {
  test('answers GET /api/v1/health, with multi-value headers and the invocation id as request id', async () => {
    const res = await invoke(albEvent({ path: '/api/v1/health' }));

    expect(res.statusCode).toBe(200);
    expect(res.multiValueHeaders?.['x-request-id']).toEqual([AWS_REQUEST_ID]);
    expect(jsonBody(res)).toEqual({ status: 'ok' });
  });

  test('answers the unchanged real event (GET / with a query) with a JSON 404', async () => {
    const res = await invoke(loadEvent('alb-lambda-target-request-multivalue-headers.json'));

    expect(res.statusCode).toBe(404);
    expect(jsonBody(res).error).toEqual({ status: 404, message: 'No route for GET /', requestId: AWS_REQUEST_ID });
  });

  test('hands a base64-encoded JSON body to the app decoded', async () => {
    const body = Buffer.from(JSON.stringify({ ok: true })).toString('base64');

    const res = await invoke(albEvent({ method: 'POST', path: '/api/v1/echo', headers: JSON_HEADERS, body, isBase64Encoded: true }));

    expect(jsonBody(res)).toEqual({ body: { ok: true } });
  });

  test('routes a percent-encoded non-ASCII path parameter', async () => {
    const res = await invoke(albEvent({ path: `/api/v1/echo/${encodeURIComponent('échos')}` }));

    expect(jsonBody(res)).toEqual({ word: 'échos' });
  });
});

describe('the Lambda handler behind a Lambda function URL', () => {
  test('answers the unchanged real event (POST /my/path, text body) with a JSON 404', async () => {
    const res = await invoke(loadEvent('lambda-urls-request.json'));

    expect(res.statusCode).toBe(404);
    expect(jsonBody(res).error).toEqual({ status: 404, message: 'No route for POST /my/path', requestId: 'id' });
  });

  test('hands a base64-encoded JSON body to the app decoded', async () => {
    const body = Buffer.from(JSON.stringify({ ok: 'ü' })).toString('base64');

    const res = await invoke(functionUrlEvent({ method: 'POST', path: '/api/v1/echo', headers: JSON_HEADERS, body, isBase64Encoded: true }));

    expect(res.statusCode).toBe(200);
    expect(jsonBody(res)).toEqual({ body: { ok: 'ü' } });
  });
});

describe('the Lambda handler given an event that is not an HTTP request', () => {
  test.each([
    ['an SQS event', () => loadEvent('sqs-receive-message.json'), 'an event with top-level keys "Records"'],
    ['an S3 event', () => loadEvent('s3-put.json'), 'an event with top-level keys "Records"'],
    ['an EventBridge schedule', () => loadEvent('eventbridge-scheduled-event.json'),
      'an event with top-level keys "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"'],
    ['{}', () => ({}), 'an event with no keys'],
    ['null', () => null, 'null'],
  ])('throws a clear error for %s, after logging it', async (_case, makeEvent, received) => {
    const expected = 'Unsupported event: this function answers HTTP requests from API Gateway (REST API or HTTP API), '
      + `an Application Load Balancer or a Lambda function URL, but got ${received}`;

    await expect(invoke(makeEvent())).rejects.toThrow(expected);
    expect(logError).toHaveBeenCalledWith('Unsupported event', expect.objectContaining({ received }));
  });

  test('still answers HTTP requests afterwards (one app, built at cold start)', async () => {
    await expect(invoke(null)).rejects.toThrow('Unsupported event');

    const res = await invoke(restApiEvent({ path: '/api/v1/health' }));

    expect(res.statusCode).toBe(200);
  });
});
