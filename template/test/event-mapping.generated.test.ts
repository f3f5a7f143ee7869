import { encodedPath, eventMapping, RESPONSE_LIMITS } from '../src/event-mapping.generated';
import { logger } from '../src/logger.generated';
import {
  albEvent, albSingleValueEvent, AWS_REQUEST_ID, functionUrlEvent, header, httpApiEvent, HttpRequest, HttpResult, invoke, jsonBody, loadEvent,
  restApiEvent,
} from './support/lambda.generated';
import { everyByte } from './support/probe-app.generated';

// What the handler corrects in serverless-express's mapping (src/event-mapping.generated.ts), with
// the real handler and real events, around test-only routes (test/support/probe-app.generated.ts).
jest.mock('../src/app', () => ({ createApp: () => jest.requireActual('./support/probe-app.generated').probeApp() }));

// Lets a test make serverless-express's own request mapping fail, as a bug or an unexpected event would.
let mockFailMapping = false;
jest.mock('@codegenie/serverless-express/src/event-sources', () => {
  const actual = jest.requireActual('@codegenie/serverless-express/src/event-sources');
  return {
    getEventSource: (options: unknown) => {
      const source = actual.getEventSource(options);
      return {
        ...source,
        getRequest: (args: unknown) => {
          if (mockFailMapping) throw new Error('mapping failed');
          return source.getRequest(args);
        },
      };
    },
  };
});

const REST_API_REQUEST_ID = loadEvent<any>('apigw-request.json').requestContext.requestId;
const SECURITY_HEADERS = ['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options'];
const bytesOf = (res: HttpResult) => Buffer.from(res.body ?? '', res.isBase64Encoded ? 'base64' : 'utf8');

let logError: jest.SpyInstance;
beforeEach(() => {
  logError = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  mockFailMapping = false;
});
afterEach(() => jest.restoreAllMocks());

/** Checks the JSON error every failure gets: status, message, the request id (also in x-request-id), the security headers. */
function expectJsonError(res: HttpResult, status: number, message: string, requestId: string): void {
  expect(res.statusCode).toBe(status);
  expect(jsonBody(res)).toEqual({ error: { status, message, requestId } });
  expect(header(res, 'x-request-id')).toBe(requestId);
  for (const name of SECURITY_HEADERS) expect(header(res, name)).toBeDefined();
}

describe('responses over the size limit of their source', () => {
  test.each([
    ['API Gateway REST API', restApiEvent, RESPONSE_LIMITS['API Gateway REST API'], REST_API_REQUEST_ID],
    ['an ALB', albEvent, RESPONSE_LIMITS['Application Load Balancer'], AWS_REQUEST_ID],
    ['an ALB without multi-value headers', albSingleValueEvent, RESPONSE_LIMITS['Application Load Balancer'], AWS_REQUEST_ID],
  ])('behind %s: a JSON 500 with the request id once base64 passes the limit, and the size in the log', async (_source, makeEvent, limit, requestId) => {
    // Binary bodies travel as base64: 3 bytes take 4.
    const fits = Math.floor((limit * 3) / 4) - 4096;
    const over = Math.floor((limit * 3) / 4) + 4096;

    const ok = await invoke((makeEvent as (r: HttpRequest) => unknown)({ path: '/api/v1/test-bytes', query: { size: [String(fits)] } }));
    const tooLarge = await invoke((makeEvent as (r: HttpRequest) => unknown)({ path: '/api/v1/test-bytes', query: { size: [String(over)] } }));

    expect(ok.statusCode).toBe(200);
    expect(bytesOf(ok).equals(everyByte(fits))).toBe(true);
    expectJsonError(tooLarge, 500, 'Response too large', requestId);
    expect(header(tooLarge, 'cache-control')).toBe('no-store');
    expect(logError).toHaveBeenCalledWith('Response too large', expect.objectContaining({
      requestId, bytes: expect.any(Number), limit, statusCode: 200, contentType: 'application/octet-stream',
    }));
    expect(logError.mock.calls[0][1].bytes).toBeGreaterThan(limit);
  });

  test('HTTP API and function URL: 6 MB', async () => {
    for (const makeEvent of [httpApiEvent, functionUrlEvent]) {
      const res = await invoke(makeEvent({ path: '/api/v1/test-bytes', query: { size: [String(4.6 * 1024 * 1024)] } }));

      expect(res.statusCode).toBe(500);
      expect(jsonBody(res).error.message).toBe('Response too large');
    }
  });

  test('a text body is measured as Lambda sends it: JSON escapes count', async () => {
    // Quotes take 2 bytes each in the response JSON: 2.9 MB of them fit in 6 MB, 3.1 MB do not.
    const quotes = (megabytes: number) => ({
      path: '/api/v1/test-bytes', query: { type: ['text/plain; charset=utf-8'], fill: ['"'], size: [String(megabytes * 1024 * 1024)] },
    });

    const fits = await invoke(restApiEvent(quotes(2.9)));
    const over = await invoke(restApiEvent(quotes(3.1)));

    expect(fits.statusCode).toBe(200);
    expect(fits.isBase64Encoded).toBe(false);
    expect(over.statusCode).toBe(500);
  });
});

describe('relative redirects keep the path the client called before the app\'s', () => {
  test.each([
    ['the stage of the execute-api URL', { path: '/api/v1/test-redirect', requestPath: '/live/api/v1/test-redirect' }, '/live/api/v1/health'],
    ['a custom domain\'s base path', { path: '/api/v1/test-redirect', requestPath: '/orders/api/v1/test-redirect' }, '/orders/api/v1/health'],
    ['a custom domain\'s base path also in `path`', { path: '/orders/v2/api/v1/test-redirect', requestPath: '/orders/v2/api/v1/test-redirect' },
      '/orders/v2/api/v1/health'],
    ['no prefix (a custom domain at its root)', { path: '/api/v1/test-redirect', requestPath: '/api/v1/test-redirect' }, '/api/v1/health'],
  ])('%s', async (_case, { path, requestPath }, location) => {
    const event = restApiEvent({ path: '/api/v1/test-redirect' });
    const res = await invoke({ ...event, path, requestContext: { ...event.requestContext, path: requestPath } });

    expect(res.statusCode).toBe(302);
    expect(header(res, 'location')).toBe(location);
  });

  test('an HTTP API, whose $default stage has no path, adds nothing', async () => {
    const res = await invoke(httpApiEvent({ path: '/api/v1/test-redirect' }));

    expect(header(res, 'location')).toBe('/api/v1/health');
  });
});

describe('the URL the app receives', () => {
  test('a REST API routes on the path as the client encoded it, not on the decoded {proxy+}', async () => {
    const res = await invoke(restApiEvent({ path: '/api/v1/test-body/x%2Fy%25z', rawQuery: 'a=1&a=2' }));

    expect(res.statusCode).toBe(404);
    expect(jsonBody(res).error.message).toBe('No route for GET /api/v1/test-body/x%2Fy%25z');
  });

  test('an ALB passes a malformed query to the app, which answers 400 instead of serverless-express\'s empty 500', async () => {
    for (const makeEvent of [albEvent, albSingleValueEvent]) {
      const res = await invoke(makeEvent({ path: '/api/v1/test-probe', rawQuery: 'q=100%' }));

      expectJsonError(res, 400, 'Malformed percent-encoding in the URL', AWS_REQUEST_ID);
    }
  });

  test.each([
    ['an encoded path', '/api/v1/%C3%A9chos/100%25', '/api/v1/%C3%A9chos/100%25'],
    ['a decoded path', '/api/v1/échos/100%', '/api/v1/%C3%A9chos/100%25'],
    ['spaces, ? and #', '/a b/c?d#e', '/a%20b/c%3Fd%23e'],
    ['an emoji', '/🚀', '/%F0%9F%9A%80'],
  ])('encodedPath: %s', (_case, path, encoded) => {
    expect(encodedPath(path)).toBe(encoded);
  });
});

describe('serverless-express failing in its own mapping', () => {
  test('gets a JSON 500 with the request id and the security headers, never an empty body', async () => {
    mockFailMapping = true;

    const res = await invoke(restApiEvent({ path: '/api/v1/health' }));

    expectJsonError(res, 500, 'Internal server error', REST_API_REQUEST_ID);
    // Through the service's logger (test/logging.generated.test.ts shows the JSON line).
    expect(logError).toHaveBeenCalledWith('SERVERLESS_EXPRESS:RESPOND_TO_EVENT_SOURCE_WITH_ERROR', {
      source: 'serverless-express',
      error: expect.objectContaining({ message: 'mapping failed' }),
    });
  });

  test('getResponse answers serverless-express\'s own error response so', () => {
    const event = albEvent({ path: '/api/v1/health' });

    const res = eventMapping.getResponse({ event, statusCode: 500, body: '', headers: {}, isBase64Encoded: false }) as HttpResult;

    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body ?? '').error).toMatchObject({ status: 500, message: 'Internal server error' });
    expect(header(res, 'content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
  });
});

describe('request bodies', () => {
  test('a REST API POST without a body (and so without Content-Length) reaches the app with content-length 0', async () => {
    const res = await invoke(restApiEvent({ method: 'POST', path: '/api/v1/echo', headers: { 'content-type': ['application/json'] } }));

    expect(res.statusCode).toBe(200);
    expect(jsonBody(res)).toEqual({ body: {} });
  });

  test('a GET without a body gets no content-length, as from a client', async () => {
    const res = await invoke(restApiEvent({ path: '/api/v1/test-body', headers: { 'content-type': ['application/json'] } }));

    expect(jsonBody(res)).toMatchObject({ bodyType: 'undefined', isJson: null });
  });
});

describe('binary responses', () => {
  test.each([
    ['application/pdf', true],
    ['application/octet-stream', true],
    ['image/png', true],
    ['text/plain; charset=latin1', true],
    ['text/plain; charset=utf-8', false],
    ['application/json', false],
  ])('%s goes back base64-encoded: %p, whatever its bytes (here ASCII letters)', async (type, base64) => {
    for (const makeEvent of [restApiEvent, httpApiEvent, albEvent, albSingleValueEvent, functionUrlEvent]) {
      const res = await invoke(makeEvent({ path: '/api/v1/test-bytes', query: { type: [type], fill: ['a'], size: ['10'] } }));

      expect(res.isBase64Encoded).toBe(base64);
      expect(bytesOf(res).toString()).toBe('aaaaaaaaaa');
    }
  });
});

describe('text responses', () => {
  test.each([restApiEvent, httpApiEvent, albEvent, albSingleValueEvent, functionUrlEvent])('stay text (not base64) when they are UTF-8 (%#)', async (makeEvent) => {
    const res = await invoke(makeEvent({ path: '/api/v1/echo/日本' }));

    expect(res.isBase64Encoded).toBe(false);
    expect(jsonBody(res)).toEqual({ word: '日本' });
  });
});
