import request from 'supertest';
import { expectSameOnLambda } from './support/parity.generated';
import { createApp } from '../src/app';

// Tests of the service's own routes, through the whole app. The template's plumbing (request
// ids, security headers, CORS, bodies, errors) is tested by the generated tests beside this file.
const app = createApp();

describe('the health route', () => {
  test('answers 200 with JSON', async () => {
    const res = await request(app).get('/api/v1/health');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('sample routes', () => {
  test('GET /api/v1/echo/:word answers the decoded word, non-ASCII included', async () => {
    const res = await request(app).get(`/api/v1/echo/${encodeURIComponent('日本 é')}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ word: '日本 é' });
  });

  test('POST /api/v1/echo answers the parsed JSON body', async () => {
    const res = await request(app).post('/api/v1/echo').send({ a: [1, 'ü'] });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ body: { a: [1, 'ü'] } });
  });

  test('POST /api/v1/echo without a JSON body gets a JSON 415 with its message and the request id', async () => {
    const res = await request(app).post('/api/v1/echo').set('content-type', 'text/plain').send('hello');

    expect(res.status).toBe(415);
    expect(res.body.error).toEqual({
      status: 415,
      message: 'Send a JSON body, with content-type application/json',
      requestId: res.headers['x-request-id'],
    });
  });
});

// The same requests through the Lambda handler, with the events of every source (REST API, HTTP
// API, ALB, function URL): same status, headers and body bytes as through Express above.
describe('the sample routes on Lambda', () => {
  test('GET /api/v1/echo/:word', () => expectSameOnLambda({ path: `/api/v1/echo/${encodeURIComponent('日本 é')}` }));

  test('POST /api/v1/echo', () => expectSameOnLambda({
    method: 'POST', path: '/api/v1/echo', headers: { 'content-type': 'application/json' }, body: '{"a":[1,"ü"]}',
  }));
});
