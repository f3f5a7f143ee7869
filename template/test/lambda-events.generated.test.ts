import { assertHttpEvent, describeEvent, httpEventSource, UnsupportedEventError } from '../src/lambda-events.generated';
import { logger } from '../src/logger.generated';
import { loadEvent } from './support/lambda.generated';

describe('httpEventSource', () => {
  test.each([
    ['apigw-request.json', 'API Gateway REST API'],
    ['apigw-restapi-openapi-request.json', 'API Gateway REST API'],
    ['apigw-v2-request-no-authorizer.json', 'API Gateway HTTP API'],
    ['apigw-v2-request-iam.json', 'API Gateway HTTP API'],
    ['alb-lambda-target-request-multivalue-headers.json', 'Application Load Balancer'],
    ['lambda-urls-request.json', 'Lambda function URL'],
  ])('recognizes %s as %s', (file, source) => {
    expect(httpEventSource(loadEvent(file))).toBe(source);
  });

  test.each([
    'sqs-receive-message.json',
    's3-put.json',
    'eventbridge-scheduled-event.json',
  ])('refuses %s', (file) => {
    expect(httpEventSource(loadEvent(file))).toBeUndefined();
  });

  test.each([
    ['null', null],
    ['undefined', undefined],
    ['{}', {}],
    ['an array', [loadEvent('apigw-request.json')]],
    ['a string', JSON.stringify(loadEvent('apigw-request.json'))],
    ['a number', 42],
  ])('refuses %s', (_case, event) => {
    expect(httpEventSource(event)).toBeUndefined();
  });

  // Real events, each with one field broken as serverless-express would trip on it.
  test.each([
    ['a REST API event with Records (serverless-express would take it for a queue event)',
      () => ({ ...loadEvent<object>('apigw-request.json'), Records: [] })],
    ['a REST API event without requestContext (serverless-express cannot tell its source)',
      () => ({ ...loadEvent<object>('apigw-request.json'), requestContext: undefined })],
    ['a REST API event without httpMethod', () => ({ ...loadEvent<object>('apigw-request.json'), httpMethod: undefined })],
    ['a REST API event whose body is an object', () => ({ ...loadEvent<object>('apigw-request.json'), body: { a: 1 } })],
    ['an HTTP API event without headers', () => ({ ...loadEvent<object>('apigw-v2-request-no-authorizer.json'), headers: undefined })],
    ['an HTTP API event without rawPath', () => ({ ...loadEvent<object>('apigw-v2-request-no-authorizer.json'), rawPath: undefined })],
    ['a function URL event whose cookies are a string', () => ({ ...loadEvent<object>('lambda-urls-request.json'), cookies: 'a=1' })],
    ['an ALB event without path', () => ({ ...loadEvent<object>('alb-lambda-target-request-multivalue-headers.json'), path: undefined })],
  ])('refuses %s', (_case, makeEvent) => {
    expect(httpEventSource(makeEvent())).toBeUndefined();
  });
});

describe('describeEvent', () => {
  test('names the top-level keys, never the values', () => {
    const text = describeEvent(loadEvent('sqs-receive-message.json'));

    expect(text).toBe('an event with top-level keys "Records"');
    expect(text).not.toContain('Test message.');
  });

  test('keeps long key lists and long keys short', () => {
    const event = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`${i}${'k'.repeat(100)}`, i]));

    const text = describeEvent(event);

    expect(text).toContain('and 5 more');
    expect(text.length).toBeLessThan(25 * 60);
  });

  test.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [{}, 'an event with no keys'],
    [[1, 2], 'an array of 2 items'],
    ['text', 'a string'],
  ])('describes %p as %s', (event, text) => {
    expect(describeEvent(event)).toBe(text);
  });
});

describe('assertHttpEvent', () => {
  test('returns an HTTP event as it is', () => {
    const event = loadEvent('apigw-request.json');

    expect(assertHttpEvent(event)).toBe(event);
  });

  test('logs, then throws an error naming what it accepts and what it got', () => {
    const logError = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

    expect(() => assertHttpEvent(loadEvent('s3-put.json'))).toThrow(new UnsupportedEventError('an event with top-level keys "Records"'));
    expect(logError).toHaveBeenCalledWith('Unsupported event', expect.objectContaining({ received: 'an event with top-level keys "Records"' }));
    logError.mockRestore();
  });
});
