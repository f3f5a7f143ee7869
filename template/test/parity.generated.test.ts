import { expectSameOnLambda, PARITY_SOURCES, ParitySource } from './support/parity.generated';
import { everyByte, PNG_BYTES } from './support/probe-app.generated';

// Local equals Lambda: each request goes through plain Express and through the real handler with
// REST API, HTTP API, ALB (with and without multi-value headers) and function URL events, and
// must get the same status, headers and body bytes, apart from the documented differences
// (test/support/parity.generated.ts). The routes are test-only (test/support/probe-app.generated.ts).
jest.mock('../src/app', () => ({ createApp: () => jest.requireActual('./support/probe-app.generated').probeApp() }));

const JSON_TYPE = { 'content-type': 'application/json' };
const base64 = (bytes: Buffer) => `base64:${bytes.toString('base64')}`;
const ALL_BUT = (...left: ParitySource[]) => PARITY_SOURCES.filter((source) => !left.includes(source));

describe('binary responses reach every source byte for byte', () => {
  test('a PNG sent with res.sendFile', async () => {
    const { express } = await expectSameOnLambda({ path: '/api/v1/test-file.png' });

    expect(express.status).toBe(200);
    expect(express.headers['content-type']).toEqual(['image/png']);
    expect(express.body).toBe(base64(PNG_BYTES));
  });

  test.each([
    'application/octet-stream',
    'application/pdf',
    'text/plain; charset=latin1',
    'text/csv; charset=windows-1252',
    // A charset that lies: the bytes are still sent as they are.
    'text/plain; charset=utf-8',
    'application/json',
  ])('every byte value as %s', async (type) => {
    const { express } = await expectSameOnLambda({ path: '/api/v1/test-bytes', query: `type=${encodeURIComponent(type)}` });

    expect(express.status).toBe(200);
    expect(express.body).toBe(base64(everyByte()));
  });

  test('gzip-compressed JSON', async () => {
    const { express } = await expectSameOnLambda({ path: '/api/v1/test-gzip', headers: { 'accept-encoding': 'gzip' } });

    expect(express.headers['content-encoding']).toEqual(['gzip']);
    expect(JSON.parse(express.body)).toEqual({ compressed: true, text: 'Grüße 日本' });
  });
});

describe('binary uploads reach the app byte for byte', () => {
  test.each([
    ['image/png', PNG_BYTES],
    ['application/octet-stream', everyByte(1024)],
  ])('%s', async (type, bytes) => {
    const { express } = await expectSameOnLambda({ method: 'POST', path: '/api/v1/test-upload', headers: { 'content-type': type }, body: bytes });

    expect(express.status).toBe(200);
    expect(express.body).toBe(base64(bytes));
  });
});

describe('headers', () => {
  test('several Set-Cookie headers', async () => {
    const { express, lambda } = await expectSameOnLambda({ path: '/api/v1/test-cookies' });

    expect(express.headers['set-cookie']).toEqual(['session=abc; Path=/; HttpOnly; Secure; SameSite=Strict', 'theme=dark; Path=/']);
    expect(lambda['ALB with multi-value headers']?.headers['set-cookie']).toHaveLength(2);
  });

  test('a large request header (8 KB)', async () => {
    const large = 'x'.repeat(8 * 1024);

    const { express } = await expectSameOnLambda({ path: '/api/v1/test-probe', headers: { 'x-custom': large } });

    expect(JSON.parse(express.body).custom).toBe(large);
  });

  test('a repeated request header', async () => {
    const { express } = await expectSameOnLambda({ path: '/api/v1/test-probe', headers: { 'x-custom': ['one', 'two'] } });

    expect(JSON.parse(express.body).custom).toBe('one, two');
  });
});

describe('redirects, HEAD, CORS preflight, 204 and 304', () => {
  test.each([
    ['a path from the root', '/api/v1/health'],
    ['a relative path', 'health'],
    ['another site', 'https://example.com/elsewhere'],
  ])('a redirect to %s', async (_case, to) => {
    const { express, lambda } = await expectSameOnLambda({ path: '/api/v1/test-redirect', query: `to=${encodeURIComponent(to)}` });

    expect(express.status).toBe(302);
    expect(express.headers.location).toEqual([to]);
    // Through the execute-api URL (.../live/api/v1/test-redirect), a Location from the root keeps the stage.
    expect(lambda['API Gateway REST API']?.headers.location).toEqual([to.startsWith('/') ? `/live${to}` : to]);
  });

  test('HEAD', async () => {
    const { express } = await expectSameOnLambda({ method: 'HEAD', path: '/api/v1/health' });

    expect(express.status).toBe(200);
    expect(express.headers['content-length']).toEqual(['15']);
    expect(express.body).toBe('');
  });

  test('a CORS preflight', async () => {
    const { express } = await expectSameOnLambda({
      method: 'OPTIONS',
      path: '/api/v1/echo',
      headers: { 'origin': 'https://shop.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

    expect(express.status).toBe(204);
    expect(express.headers).toMatchObject({
      'access-control-allow-origin': ['*'],
      'access-control-allow-methods': ['GET,HEAD,PUT,PATCH,POST,DELETE'],
      'access-control-allow-headers': ['content-type'],
      'content-security-policy': ["default-src 'none';frame-ancestors 'none'"],
      'x-request-id': ['<request-id>'],
    });
  });

  test('a 204', async () => {
    const { express } = await expectSameOnLambda({ method: 'DELETE', path: '/api/v1/test-items/42' });

    expect(express.status).toBe(204);
    expect(express.body).toBe('');
  });

  test('a 304 for a matching If-None-Match', async () => {
    const first = await expectSameOnLambda({ path: '/api/v1/echo/cached' });
    const etag = first.express.headers.etag[0];

    const { express } = await expectSameOnLambda({ path: '/api/v1/echo/cached', headers: { 'if-none-match': etag } });

    expect(express.status).toBe(304);
    expect(express.headers.etag).toEqual([etag]);
    expect(express.body).toBe('');
  });
});

describe('URLs', () => {
  test('repeated query keys', async () => {
    const { express } = await expectSameOnLambda({ path: '/api/v1/test-probe', query: 'tag=a&page=2&tag=b%20%26%20c' });

    expect(JSON.parse(express.body).query).toEqual({ tag: ['a', 'b & c'], page: '2' });
  });

  test.each([
    ['a path parameter', `/api/v1/echo/${encodeURIComponent('日本 é')}`, 200],
    ['an unknown path', `/api/v1/${encodeURIComponent('échos')}/${encodeURIComponent('日本')}`, 404],
    ['an encoded percent sign', '/api/v1/echo/100%25', 200],
    ['an encoded slash (an HTTP API decodes it: a 404 there, as locally for a slash)', '/api/v1/echo/a%2Fb', 200],
  ])('percent-encoded UTF-8 in %s', async (_case, path, status) => {
    const { express } = await expectSameOnLambda({ path });

    expect(express.status).toBe(status);
  });

  test.each([
    ['a query', '/api/v1/test-probe', 'q=100%'],
    ['a query that is not UTF-8', '/api/v1/test-probe', 'q=%E0%A4'],
    ['a path', '/api/v1/echo/%E0%A4%A', undefined],
    ['an unknown path', '/api/v1/100%', undefined],
  ])('a malformed percent-encoding in %s gets a JSON 400 with the request id and the security headers', async (_case, path, query) => {
    const { express, lambda } = await expectSameOnLambda({ path, query });

    expect(express.status).toBe(400);
    expect(JSON.parse(express.body)).toEqual({ error: { status: 400, message: 'Malformed percent-encoding in the URL', requestId: '<request-id>' } });
    expect(express.headers['content-security-policy']).toBeDefined();
    // Each source either answered so (compared above) or answers the request itself (documented).
    expect(Object.keys(lambda).length).toBeGreaterThanOrEqual(3);
  });
});

describe('request bodies', () => {
  test('an empty JSON body', async () => {
    const { express } = await expectSameOnLambda({ method: 'POST', path: '/api/v1/echo', headers: JSON_TYPE });

    expect(express.status).toBe(200);
    expect(JSON.parse(express.body)).toEqual({ body: {} });
  });

  test('a base64-encoded JSON body', async () => {
    const { express } = await expectSameOnLambda({
      method: 'POST', path: '/api/v1/echo', headers: JSON_TYPE, body: JSON.stringify({ name: 'Zoë', tags: ['日本'] }), base64: true,
    });

    expect(JSON.parse(express.body)).toEqual({ body: { name: 'Zoë', tags: ['日本'] } });
  });

  test('a body no parser reads, and none', async () => {
    const text = await expectSameOnLambda({ method: 'POST', path: '/api/v1/test-body', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    const none = await expectSameOnLambda({ method: 'PUT', path: '/api/v1/test-body' });

    expect(JSON.parse(text.express.body)).toMatchObject({ body: null, bodyType: 'undefined', isJson: false });
    expect(JSON.parse(none.express.body)).toMatchObject({ body: null, bodyType: 'undefined', isJson: false });
  });
});

describe('the comparison itself', () => {
  test('runs every source for a plain request, and only skips what is documented', async () => {
    const plain = await expectSameOnLambda({ path: '/api/v1/health' });
    const malformed = await expectSameOnLambda({ path: '/api/v1/test-probe', query: 'q=100%' });

    expect(Object.keys(plain.lambda).sort()).toEqual([...PARITY_SOURCES].sort());
    expect(Object.keys(malformed.lambda).sort()).toEqual(ALL_BUT('API Gateway REST API').sort());
    expect(malformed.skipped['API Gateway REST API']).toBe('API Gateway answers a malformed query string itself');
  });

  test('fails on a difference it does not allow for', async () => {
    // req.protocol is https on Lambda and http locally (documented, but nothing makes it equal).
    await expect(expectSameOnLambda({ path: '/api/v1/test-client' }, ['API Gateway REST API'])).rejects.toThrow(/protocol.*https/);
  });
});
