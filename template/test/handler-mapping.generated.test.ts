import { albEvent, functionUrlEvent, httpApiEvent, HttpRequest, invoke, jsonBody, loadEvent, restApiEvent } from './support/lambda.generated';

// What the app sees of each real Lambda event: the handler runs the template's plumbing around a
// test-only probe route (test/support/probe-app.generated.ts) that answers with the request as Express parsed it.
jest.mock('../src/app', () => ({ createApp: () => jest.requireActual('./support/probe-app.generated').probeApp() }));

describe.each([
  ['API Gateway REST API (payload 1.0)', restApiEvent],
  ['API Gateway HTTP API (payload 2.0)', httpApiEvent],
  ['Application Load Balancer (multi-value headers)', albEvent],
  ['Lambda function URL', functionUrlEvent],
])('the app behind %s', (_source, makeEvent: (req: HttpRequest) => unknown) => {
  test('gets a repeated query parameter as an array, and a single one as a string', async () => {
    const res = await invoke(makeEvent({ path: '/api/v1/test-probe', query: { tag: ['a', 'b & c'], page: ['2'] } }));

    expect(jsonBody(res).query).toEqual({ tag: ['a', 'b & c'], page: '2' });
  });

  test('gets non-ASCII query values decoded', async () => {
    const res = await invoke(makeEvent({ path: '/api/v1/test-probe', query: { q: ['日本', 'é'] } }));

    expect(jsonBody(res).query).toEqual({ q: ['日本', 'é'] });
  });

  test('gets the values of a repeated header joined in one', async () => {
    const res = await invoke(makeEvent({ path: '/api/v1/test-probe', headers: { 'x-custom': ['one', 'two'] } }));

    expect(jsonBody(res).custom).toBe('one,two');
  });
});

describe.each([
  ['API Gateway HTTP API (payload 2.0)', httpApiEvent],
  ['Lambda function URL', functionUrlEvent],
])('the app behind %s', (_source, makeEvent: (req: HttpRequest) => unknown) => {
  test('gets the cookies array as one cookie header', async () => {
    const res = await invoke(makeEvent({ path: '/api/v1/test-probe', cookies: ['session=abc', 'theme=dark'] }));

    expect(jsonBody(res).cookie).toBe('session=abc; theme=dark');
  });
});

describe('the unchanged real events', () => {
  test('REST API: the query of apigw-request.json, multiValueQueryStringParameters winning over queryStringParameters', async () => {
    const event = { ...loadEvent<any>('apigw-request.json'), httpMethod: 'GET', body: null, pathParameters: { proxy: 'api/v1/test-probe' } };
    event.multiValueQueryStringParameters = { name: ['me', 'you'] };

    const res = await invoke(event);

    expect(jsonBody(res)).toMatchObject({ method: 'GET', query: { name: ['me', 'you'] } });
  });

  test('HTTP API: the repeated parameter and cookies of apigw-v2-request-iam.json', async () => {
    const event = loadEvent<any>('apigw-v2-request-iam.json');
    event.rawPath = '/api/v1/test-probe';

    const res = await invoke(event);

    expect(jsonBody(res)).toEqual({
      method: 'GET',
      query: { parameter1: ['value1', 'value2'], parameter2: 'value' },
      cookie: 'cookie1; cookie2',
      custom: null,
    });
  });

  test('ALB: the query of alb-lambda-target-request-multivalue-headers.json', async () => {
    const event = { ...loadEvent<any>('alb-lambda-target-request-multivalue-headers.json'), path: '/api/v1/test-probe' };

    const res = await invoke(event);

    expect(jsonBody(res).query).toEqual({ key: 'hello' });
  });
});
