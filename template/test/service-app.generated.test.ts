import { gzipSync } from 'zlib';
import request from 'supertest';
import { probeApp } from './support/probe-app.generated';
import { allowedOrigins } from '../src/service-app.generated';

// The template's plumbing (src/service-app.generated.ts) around test-only routes: whatever routes the service has.
const app = probeApp();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Checks the error shape every error response keeps, and returns the error. */
function expectError(res: request.Response, status: number): { status: number; message: string; requestId: string } {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(Object.keys(res.body.error).sort()).toEqual(['message', 'requestId', 'status']);
  expect(res.body.error.status).toBe(status);
  expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  return res.body.error;
}

describe('GET /api/v1/health', () => {
  test('answers 200 with JSON', async () => {
    const res = await request(app).get('/api/v1/health');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('errors', () => {
  test('an unknown route gets a JSON 404', async () => {
    const res = await request(app).get('/api/v1/no-such-route');

    const error = expectError(res, 404);
    expect(error.message).toBe('No route for GET /api/v1/no-such-route');
  });

  test('malformed JSON gets a JSON 400 that does not quote the body', async () => {
    const res = await request(app)
      .post('/api/v1/echo')
      .set('content-type', 'application/json')
      .send('{"secret": "s3cr3t", "unterminated":');

    const error = expectError(res, 400);
    expect(error.message).toBe('Malformed request body');
    expect(res.text).not.toContain('s3cr3t');
  });

  test('JSON that is not an object or array gets a JSON 400', async () => {
    const res = await request(app).post('/api/v1/echo').set('content-type', 'application/json').send('"just a string"');

    expectError(res, 400);
  });

  test('a body over the limit gets a JSON 413', async () => {
    const res = await request(app)
      .post('/api/v1/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(1024 * 1024 + 1) }));

    const error = expectError(res, 413);
    expect(error.message).toBe('Request body too large');
  });

  test('a form body over the limit gets a JSON 413 too', async () => {
    const res = await request(app)
      .post('/api/v1/echo')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`big=${'x'.repeat(1024 * 1024 + 1)}`);

    expectError(res, 413);
  });

  test('a gzipped body that inflates past the limit gets a JSON 413', async () => {
    const bomb = gzipSync(JSON.stringify({ big: 'x'.repeat(2 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(100 * 1024);

    const res = await request(app)
      .post('/api/v1/echo')
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .serialize((body) => body) // send the bytes as they are
      .send(bomb);

    expectError(res, 413);
  });

  test('an unsupported charset or content encoding gets a JSON 415', async () => {
    const charset = await request(app).post('/api/v1/echo').set('content-type', 'application/json; charset=latin1').send('{}');
    const encoding = await request(app).post('/api/v1/echo').set('content-type', 'application/json').set('content-encoding', 'x-evil').send('{}');

    expect(expectError(charset, 415).message).toBe('Unsupported charset');
    expect(expectError(encoding, 415).message).toBe('Unsupported content encoding');
  });

  test('a malformed percent-encoding in a path parameter gets a JSON 400 that does not quote it', async () => {
    const res = await request(app).get('/api/v1/echo/%E0%A4%A');

    const error = expectError(res, 400);
    expect(error.message).toBe('Malformed percent-encoding in the URL');
  });

  test('a non-ASCII path gets a JSON 404', async () => {
    const res = await request(app).get(`/api/v1/${encodeURIComponent('échos')}/${encodeURIComponent('日本')}`);

    const error = expectError(res, 404);
    expect(error.message).toBe('No route for GET /api/v1/%C3%A9chos/%E6%97%A5%E6%9C%AC');
  });

  test('CORS preflight is answered, with the security headers and a request id', async () => {
    const res = await request(app)
      .options('/api/v1/health')
      .set('origin', 'https://example.com')
      .set('access-control-request-method', 'GET');

    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeDefined();
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  test('a browser may read the request id of a cross-origin response', async () => {
    const res = await request(app).get('/api/v1/health').set('origin', 'https://example.com');

    expect(res.headers['access-control-expose-headers']).toBe('x-request-id');
  });
});

describe('request ids', () => {
  test('a response carries a new UUID when the request brings none', async () => {
    const first = await request(app).get('/api/v1/health');
    const second = await request(app).get('/api/v1/health');

    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).toMatch(UUID);
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  test("the caller's valid x-request-id is kept, up to 128 characters", async () => {
    const id = `trace-42-${'a'.repeat(119)}`;
    expect(id).toHaveLength(128);

    const res = await request(app).get('/api/v1/no-such-route').set('x-request-id', id);

    expect(res.headers['x-request-id']).toBe(id);
    expect(res.body.error.requestId).toBe(id);
  });

  test.each([
    ['too long', 'a'.repeat(129)],
    ['with other characters', 'abc def'],
    ['with markup', '<script>alert(1)</script>'],
    ['with a quote and a semicolon', 'a";b'],
    ['empty', ''],
  ])('an invalid x-request-id (%s) is replaced by a new UUID', async (_case, id) => {
    const res = await request(app).get('/api/v1/no-such-route').set('x-request-id', id);

    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  });

  test('two x-request-id headers are replaced by a new UUID', async () => {
    const res = await request(app).get('/api/v1/health').set('x-request-id', ['one', 'two'] as unknown as string);

    expect(res.headers['x-request-id']).toMatch(UUID);
  });
});

describe('security headers', () => {
  test.each([
    ['a success', (agent: request.Agent) => agent.get('/api/v1/health'), 200],
    ['a 404', (agent: request.Agent) => agent.get('/nowhere'), 404],
    ['a 400', (agent: request.Agent) => agent.post('/api/v1/echo').set('content-type', 'application/json').send('{'), 400],
  ])('are on %s', async (_case, send, status) => {
    const res = await send(request.agent(app));

    expect(res.status).toBe(status);
    expect(res.headers).toMatchObject({
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('allowed CORS origins', () => {
  test('any origin when unset, as in local runs', () => {
    expect(allowedOrigins(undefined)).toBe('*');
  });

  test('the listed origins, or none when the list is empty', () => {
    expect(allowedOrigins('https://a.example.com, https://b.example.com')).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(allowedOrigins('')).toBe(false);
  });
});
