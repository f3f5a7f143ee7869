import { format } from 'util';
import type { Request, Response } from 'express';
import { libraryLog, logger } from '../src/logger.generated';
import { tracer } from '../src/tracer.generated';
import { AWS_REQUEST_ID, httpApiEvent, invoke, jsonBody, loadEvent } from './support/lambda.generated';

// One log format: whatever prints on Lambda (the service's logger, serverless-express, the X-Ray
// SDK) prints JSON lines with the service's keys. The real handler, around a test-only route.
jest.mock('../src/app', () => ({
  createApp: () => {
    const { Router } = jest.requireActual('express');
    const { serviceApp } = jest.requireActual('../src/service-app.generated');
    const routes = Router();
    // A streamed answer in chunked transfer coding, as a route piping a stream with that header sends it.
    routes.get('/api/v1/test-chunked', (_req: Request, res: Response) => {
      res.setHeader('transfer-encoding', 'chunked');
      res.write('part one, ');
      res.end('part two');
    });
    return serviceApp(routes);
  },
}));

const HTTP_API_REQUEST_ID = loadEvent<any>('apigw-v2-request-no-authorizer.json').requestContext.requestId;

/**
 * Every line the process prints from here on: written to stdout or stderr (as Powertools does)
 * or through `console` (as serverless-express's own logger and the X-Ray SDK's do), as Node prints it.
 */
function capturedLines(): string[] {
  const lines: string[] = [];
  const record = (text: string) => lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      record(Buffer.from(chunk).toString('utf8'));
      return true;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => record(format(...args)));
  }
  return lines;
}

/** Each line parsed, after checking that every one is a JSON object: plain text fails here, naming the line. */
function jsonLines(lines: string[]): Record<string, any>[] {
  expect(lines.length).toBeGreaterThan(0);
  return lines.map((line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`Not a JSON line: ${line}`);
    }
    expect(parsed).toEqual(expect.any(Object));
    return parsed as Record<string, any>;
  });
}

/** The keys the service's logger puts on every line of an invocation of the handler. */
const SERVICE_KEYS = {
  level: expect.any(String),
  message: expect.any(String),
  timestamp: expect.any(String),
  service: 'service',
  function_request_id: AWS_REQUEST_ID,
};

afterEach(() => {
  jest.restoreAllMocks();
  logger.setLogLevel('INFO');
});

describe('serverless-express failing inside, on a response it cannot map', () => {
  // serverless-express's HTTP API mapping throws on a chunked response after the app answered; it
  // logs the error through its `log` and answers a 500 of its own (src/event-mapping.generated.ts makes it JSON).
  const unmappable = () => httpApiEvent({ path: '/api/v1/test-chunked' });

  test('answers the JSON 500 with the request id', async () => {
    capturedLines();

    const res = await invoke(unmappable());

    expect(res.statusCode).toBe(500);
    expect(jsonBody(res).error).toEqual({ status: 500, message: 'Internal server error', requestId: HTTP_API_REQUEST_ID });
  });

  test('logs its error as a JSON line with the service\'s keys and the request ids, and prints nothing else', async () => {
    const lines = capturedLines();

    await invoke(unmappable());

    const entries = jsonLines(lines);
    for (const entry of entries) expect(entry).toMatchObject({ ...SERVICE_KEYS, apiRequestId: HTTP_API_REQUEST_ID });
    expect(entries).toEqual([expect.objectContaining({
      level: 'ERROR',
      message: 'SERVERLESS_EXPRESS:RESPOND_TO_EVENT_SOURCE_WITH_ERROR',
      source: 'serverless-express',
      error: expect.objectContaining({ name: 'Error', message: 'chunked encoding is not supported by API Gateway', stack: expect.any(String) }),
    })]);
  });

  test('would print plain text through its own logger: what the capture above would have caught', () => {
    const lines = capturedLines();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ownLogger = require('@codegenie/serverless-express/src/logger') as (o: { level: string }) => { error(...a: unknown[]): void };

    ownLogger({ level: 'error' }).error('SERVERLESS_EXPRESS:RESPOND_TO_EVENT_SOURCE_WITH_ERROR', new Error('chunked encoding is not supported by API Gateway'));

    expect(lines.length).toBeGreaterThan(1);
    expect(() => jsonLines(lines)).toThrow(/Not a JSON line/);
  });
});

describe('serverless-express\'s debug lines', () => {
  test('are JSON too when the log level is DEBUG (POWERTOOLS_LOG_LEVEL)', async () => {
    logger.setLogLevel('DEBUG');
    const lines = capturedLines();

    const res = await invoke(httpApiEvent({ path: '/api/v1/health' }));

    expect(res.statusCode).toBe(200);
    const entries = jsonLines(lines).filter((entry) => entry.source === 'serverless-express');
    expect(entries.map((entry) => entry.message)).toEqual(expect.arrayContaining([
      'SERVERLESS_EXPRESS:PROXY', 'SERVERLESS_EXPRESS:FORWARD_RESPONSE:EVENT_SOURCE_RESPONSE',
    ]));
    for (const entry of entries) expect(entry).toMatchObject({ ...SERVICE_KEYS, level: 'DEBUG', details: expect.anything() });
  });

  test('cost nothing at the default level: the values they would compute are never computed', () => {
    const lines = capturedLines();
    const value = jest.fn(() => ({ event: 'inspected' }));

    libraryLog('serverless-express').debug('SERVERLESS_EXPRESS:PROXY', value);

    expect(value).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });
});

describe('libraryLog', () => {
  test('puts an error under `error` and other values under `details`, at the library\'s level', () => {
    const lines = capturedLines();

    libraryLog('some-library').warn('retrying', { attempt: 2 }, new Error('timed out'));

    expect(jsonLines(lines)).toEqual([expect.objectContaining({
      level: 'WARN',
      message: 'retrying',
      service: 'service',
      source: 'some-library',
      details: { attempt: 2 },
      error: expect.objectContaining({ name: 'Error', message: 'timed out' }),
    })]);
  });

  test('keeps a library\'s own level: below it nothing is logged, or computed, whatever the logger\'s level', () => {
    logger.setLogLevel('DEBUG');
    const lines = capturedLines();
    const value = jest.fn(() => 'detail');
    const sdkLike = libraryLog('some-library', 'error');

    sdkLike.info('Using custom sampling rules source.', value);
    sdkLike.warn('Failed to capture function.');
    sdkLike.error('Failed to send segment', value);

    expect(value).toHaveBeenCalledTimes(1);
    expect(jsonLines(lines).map((entry) => [entry.level, entry.message])).toEqual([['ERROR', 'Failed to send segment']]);
  });

  test('the X-Ray SDK logs through it: its complaint about a bad annotation is a JSON line', () => {
    const lines = capturedLines();
    // Outside Lambda the tracer hands out a real, unsent X-Ray subsegment; an object is no annotation value.
    const subsegment = tracer.getSegment()!;

    subsegment.addAnnotation('order', {} as unknown as string);

    expect(jsonLines(lines)).toEqual([expect.objectContaining({
      level: 'ERROR',
      service: 'service',
      source: 'aws-xray-sdk',
      message: expect.stringContaining('Failed to add annotation key: order'),
    })]);
  });
});
