import request from 'supertest';
import { createApp } from '../src/app';

const app = createApp();

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

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { status: 404, message: 'No route for GET /api/v1/no-such-route' } });
  });

  test('malformed JSON gets a JSON 400', async () => {
    const res = await request(app)
      .post('/api/v1/health')
      .set('content-type', 'application/json')
      .send('{"unterminated":');

    expect(res.status).toBe(400);
    expect(res.body.error.status).toBe(400);
  });

  test('a body over the limit gets a JSON 413', async () => {
    const res = await request(app)
      .post('/api/v1/health')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(1024 * 1024 + 1) }));

    expect(res.status).toBe(413);
    expect(res.body.error.status).toBe(413);
  });

  test('CORS preflight is answered', async () => {
    const res = await request(app)
      .options('/api/v1/health')
      .set('origin', 'https://example.com')
      .set('access-control-request-method', 'GET');

    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeDefined();
  });
});
