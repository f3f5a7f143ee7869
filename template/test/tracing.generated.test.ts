import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Request, Response } from 'express';
import { tracer } from '../src/tracer.generated';
import {
  albEvent, AWS_REQUEST_ID, httpApiEvent, invoke, jsonBody, loadEvent, restApiEvent,
} from './support/lambda.generated';

// What the handler records of each request in its X-Ray trace, around a test-only app with a
// router mounted under a path, as a service's own routers are (src/app.ts mounts /api/v1).
jest.mock('../src/app', () => ({
  createApp: () => {
    const { Router } = jest.requireActual('express');
    const { serviceApp } = jest.requireActual('../src/service-app.generated');
    const { HttpError } = jest.requireActual('../src/errors.generated');
    const orders = Router();
    orders.get('/orders/:id', (req: Request, res: Response) => {
      res.json({ id: req.params.id });
    });
    orders.post('/orders/:id', () => {
      throw new HttpError(409, 'Order already exists');
    });
    const routes = Router();
    routes.use('/api/v2', orders);
    return serviceApp(routes);
  },
}));

const REST_API_REQUEST_ID = loadEvent<any>('apigw-request.json').requestContext.requestId;
const HTTP_API_REQUEST_ID = loadEvent<any>('apigw-v2-request-no-authorizer.json').requestContext.requestId;

type Subsegment = NonNullable<ReturnType<typeof tracer.getSegment>>;

/**
 * Tracer as it runs on Lambda, with only the X-Ray SDK's context stubbed (its provider's active
 * segment): `invocation` stands for the segment Lambda opens for the invocation. Powertools' own
 * code puts the annotations and metadata on whatever the handler made active.
 */
function onLambda(): { invocation: Subsegment; active: () => Subsegment } {
  // Outside Lambda the tracer hands out a real X-Ray subsegment that is never sent.
  const invocation = tracer.getSegment()!;
  let active = invocation;
  jest.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
  jest.spyOn(tracer.provider, 'getSegment').mockImplementation(() => active);
  jest.spyOn(tracer.provider, 'setSegment').mockImplementation((segment) => {
    active = segment as Subsegment;
  });
  return { invocation, active: () => active };
}

/** A segment as the X-Ray SDK would send it: its segment document. */
const documentOf = (segment: Subsegment): Record<string, any> => JSON.parse(segment.toString());

/** The document of the one subsegment the handler opened for the request. */
function requestSubsegment(invocation: Subsegment): Record<string, any> {
  const { subsegments } = documentOf(invocation);
  expect(subsegments).toHaveLength(1);
  return subsegments[0];
}

afterEach(() => jest.restoreAllMocks());

describe('the tracer, outside Lambda', () => {
  test('is off in the tests, as under `npx projen dev` and `npx projen invoke`: nothing is recorded or sent', () => {
    expect(process.env.AWS_EXECUTION_ENV).toBeUndefined();
    expect(tracer.isTracingEnabled()).toBe(false);
  });

  test('turns on where Lambda runs it (AWS_EXECUTION_ENV), unless POWERTOOLS_TRACE_ENABLED is false', () => {
    const saved = { ...process.env };
    try {
      process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
      // captureHTTPsRequests: false, so that this tracer patches no HTTP client of the test process.
      expect(new Tracer({ captureHTTPsRequests: false }).isTracingEnabled()).toBe(true);
      process.env.POWERTOOLS_TRACE_ENABLED = 'false';
      // A tracer turned off tells the X-Ray SDK to ignore a missing context, which it logs (as JSON).
      jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      expect(new Tracer({ captureHTTPsRequests: false }).isTracingEnabled()).toBe(false);
    } finally {
      process.env = saved;
    }
  });

  test('leaves the handler\'s answers as they are', async () => {
    const res = await invoke(restApiEvent({ path: '/api/v2/orders/42' }));

    expect(res.statusCode).toBe(200);
    expect(jsonBody(res)).toEqual({ id: '42' });
  });
});

describe('on Lambda, each request\'s subsegment', () => {
  test('carries the request id, the method, the Express route and the status as annotations, and the path as metadata', async () => {
    const { invocation } = onLambda();

    await invoke(restApiEvent({ path: '/api/v2/orders/42' }));

    const segment = requestSubsegment(invocation);
    expect(segment.name).toMatch(/^## /);
    expect(segment.annotations).toEqual({
      ColdStart: expect.any(Boolean),
      Service: 'service',
      requestId: REST_API_REQUEST_ID,
      httpMethod: 'GET',
      httpRoute: '/api/v2/orders/:id',
      httpStatus: 200,
    });
    expect(segment.metadata).toEqual({ service: { path: '/api/v2/orders/42' } });
  });

  test('is closed when the handler returns, and the invocation\'s segment is active again; that one has no annotations', async () => {
    const { invocation, active } = onLambda();

    await invoke(restApiEvent({ path: '/api/v2/orders/42' }));

    expect(requestSubsegment(invocation)).toMatchObject({ end_time: expect.any(Number) });
    expect(requestSubsegment(invocation)).not.toHaveProperty('in_progress');
    expect(active()).toBe(invocation);
    expect(documentOf(invocation)).not.toHaveProperty('annotations');
  });

  test('names the route that threw, with its router\'s mount path, though the app\'s error handler answered', async () => {
    const { invocation } = onLambda();

    const res = await invoke(restApiEvent({ method: 'POST', path: '/api/v2/orders/42' }));

    expect(res.statusCode).toBe(409);
    expect(requestSubsegment(invocation).annotations).toMatchObject({ httpMethod: 'POST', httpRoute: '/api/v2/orders/:id', httpStatus: 409 });
  });

  test('has no route when none matched, and the path it was sent', async () => {
    const { invocation } = onLambda();

    await invoke(httpApiEvent({ path: '/api/v2/nothing-here', query: { secret: ['not recorded'] } }));

    const segment = requestSubsegment(invocation);
    expect(segment.annotations).toMatchObject({ requestId: HTTP_API_REQUEST_ID, httpMethod: 'GET', httpStatus: 404 });
    expect(segment.annotations).not.toHaveProperty('httpRoute');
    expect(segment.metadata).toEqual({ service: { path: '/api/v2/nothing-here' } });
  });

  test('behind a load balancer, carries the invocation\'s id, the request id the service answers with', async () => {
    const { invocation } = onLambda();

    await invoke(albEvent({ path: '/api/v2/orders/7' }));

    expect(requestSubsegment(invocation).annotations).toMatchObject({ requestId: AWS_REQUEST_ID, httpRoute: '/api/v2/orders/:id' });
  });

  test('is not opened for an event the handler refuses', async () => {
    const { invocation } = onLambda();
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

    await expect(invoke({})).rejects.toThrow('Unsupported event');

    expect(documentOf(invocation)).not.toHaveProperty('subsegments');
  });
});
