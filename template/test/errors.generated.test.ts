import express from 'express';
import request from 'supertest';
import { errorResponder, HttpError } from '../src/errors.generated';
import { logger } from '../src/logger.generated';
import { requestId } from '../src/request-id.generated';

/** An app whose one route fails with `fail`, answered by the error responder. */
function failingApp(fail: () => unknown, options: { withRequestIds?: boolean } = {}): express.Express {
  const app = express();
  if (options.withRequestIds !== false) app.use(requestId);
  app.get('/boom', async () => {
    await fail();
  });
  app.use(errorResponder);
  return app;
}

let logError: jest.SpyInstance;
beforeEach(() => {
  logError = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('errorResponder', () => {
  test('a thrown error becomes a JSON 500 without the message or stack trace, with the request id', async () => {
    const app = failingApp(() => {
      throw new Error('database password is hunter2');
    });

    const res = await request(app).get('/boom').set('x-request-id', 'req-500');

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { status: 500, message: 'Internal server error', requestId: 'req-500' } });
    expect(res.headers['x-request-id']).toBe('req-500');
    expect(res.text).not.toMatch(/hunter2|at .*\.ts|Error:/);
  });

  test('the error is logged with the request id', async () => {
    const app = failingApp(() => {
      throw new Error('database password is hunter2');
    });

    await request(app).get('/boom').set('x-request-id', 'req-logged');

    expect(logError).toHaveBeenCalledTimes(1);
    expect(logError).toHaveBeenCalledWith('Unhandled error', {
      requestId: 'req-logged',
      error: expect.objectContaining({ message: 'database password is hunter2' }),
    });
  });

  test('the structured log line carries the request id and the error', async () => {
    logError.mockRestore();
    const printed: string[] = [];
    // Powertools prints errors through its own Console, on stderr.
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
    }
    const app = failingApp(() => {
      throw new Error('database password is hunter2');
    });

    await request(app).get('/boom').set('x-request-id', 'req-in-log');

    const line = JSON.parse(printed.find((text) => text.includes('Unhandled error'))!);
    expect(line).toMatchObject({ level: 'ERROR', message: 'Unhandled error', requestId: 'req-in-log' });
    expect(line.error).toMatchObject({ name: 'Error', message: 'database password is hunter2' });
  });

  test.each([
    ['a rejected promise', () => Promise.reject(new Error('async failure'))],
    ['a thrown string', () => {
      throw 'not an Error'; // eslint-disable-line no-throw-literal
    }],
    ['a thrown null', () => {
      throw null; // eslint-disable-line no-throw-literal
    }],
    ['a 5xx error', () => {
      throw Object.assign(new Error('upstream timed out'), { status: 503, expose: true });
    }],
    ['an error with a status that is not an integer', () => {
      throw Object.assign(new Error('odd'), { status: 404.5 });
    }],
    ['an error with a redirect status', () => {
      throw Object.assign(new Error('odd'), { status: 302 });
    }],
    ['an error with a status that is not a number', () => {
      throw Object.assign(new Error('odd'), { status: 'teapot' });
    }],
  ])('%s becomes a JSON 500', async (_case, fail) => {
    const res = await request(failingApp(fail)).get('/boom');

    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({ status: 500, message: 'Internal server error', requestId: res.headers['x-request-id'] });
    expect(logError).toHaveBeenCalledWith('Unhandled error', expect.objectContaining({ requestId: res.headers['x-request-id'] }));
  });

  test('an HttpError keeps its status and message, and is not logged as an error', async () => {
    const res = await request(failingApp(() => {
      throw new HttpError(409, 'Order 42 is already paid');
    })).get('/boom');

    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ status: 409, message: 'Order 42 is already paid', requestId: res.headers['x-request-id'] });
    expect(logError).not.toHaveBeenCalled();
  });

  test('a 4xx error not marked expose keeps its status but not its message', async () => {
    const res = await request(failingApp(() => {
      throw Object.assign(new Error('user 7 has no row in table secrets'), { statusCode: 404 });
    })).get('/boom');

    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('Not Found');
  });

  test('without the request id middleware, errors still carry a request id', async () => {
    const res = await request(failingApp(() => {
      throw new Error('boom');
    }, { withRequestIds: false })).get('/boom');

    expect(res.status).toBe(500);
    expect(res.body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-request-id']).toBe(res.body.error.requestId);
  });
});
