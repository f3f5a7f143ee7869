// Acceptance tests run against a deployed stage (the pipeline sets SERVICE_URL to its API URL)
// or a local server: SERVICE_URL=http://localhost:3000 npx projen test:acceptance
const baseUrl = process.env.SERVICE_URL;
if (!baseUrl) {
  throw new Error('SERVICE_URL is not set: give the base URL of the service to test, e.g. SERVICE_URL=http://localhost:3000');
}

function url(path: string): string {
  return new URL(path, baseUrl!.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

describe(`the service at ${baseUrl}`, () => {
  test('is healthy', async () => {
    const res = await fetch(url('api/v1/health'));

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('answers an unknown route with a JSON 404 carrying the request id and the security headers', async () => {
    const res = await fetch(url('api/v1/no-such-route'));

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { requestId: string } };
    expect(body.error.requestId).toBeTruthy();
    expect(res.headers.get('x-request-id')).toBe(body.error.requestId);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('answers malformed JSON with a JSON 400', async () => {
    const res = await fetch(url('api/v1/health'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });

    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { status: number } }).error.status).toBe(400);
  });
});
