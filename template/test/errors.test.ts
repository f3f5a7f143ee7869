import express from 'express';
import request from 'supertest';
import { errorResponder } from '../src/middleware/errors';

describe('errorResponder', () => {
  test('a thrown error becomes a JSON 500 without the message or stack trace', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error('database password is hunter2');
    });
    app.use(errorResponder);
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    const res = await request(app).get('/boom');

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { status: 500, message: 'Internal server error' } });
    expect(res.text).not.toMatch(/hunter2|at .*\.ts/);
    expect(consoleError).toHaveBeenCalled();
  });
});
