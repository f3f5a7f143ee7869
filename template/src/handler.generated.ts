import { AsyncLocalStorage } from 'async_hooks';
import serverlessExpress from '@codegenie/serverless-express';
import type { Callback, Context } from 'aws-lambda';
import { createApp } from './app';
import { isBinaryResponse } from './binary-responses.generated';
import { eventMapping, expressFramework } from './event-mapping.generated';
import { apiRequestId, assertHttpEvent, type HttpEvent } from './lambda-events.generated';
import { libraryLog, logger } from './logger.generated';
import { tracer } from './tracer.generated';

/** What the trace of one request records of the app's side of it. */
interface RequestTrace {
  /** The path the app saw, without the query. */
  path?: string;
  /** The Express route that answered: its router's mount path and its own path (`/api/v1/echo/:word`). */
  route?: string;
}

// The request being served, for the framework below (Lambda Managed Instances may serve several at once).
const requestTraces = new AsyncLocalStorage<RequestTrace>();

/**
 * Records each route Express's router matches on `request`, as it sets `req.route`: at that
 * moment `req.baseUrl` is still the route's own router's mount path, which it no longer is once
 * an error travels up to the app's error handler.
 */
function recordRoutes(request: { baseUrl?: string }, trace: RequestTrace): void {
  let route: unknown;
  Object.defineProperty(request, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (value?.path !== undefined) trace.route = `${request.baseUrl ?? ''}${String(value.path)}`;
    },
  });
}

// Built once per execution environment (at cold start) and reused by every invocation.
const app = createApp();
// The request and response mapped so that the app answers as it does locally (src/event-mapping.generated.ts).
const framework = expressFramework(app);
const serve = serverlessExpress({
  app,
  framework: {
    sendRequest: (args) => {
      const trace = requestTraces.getStore();
      if (trace) {
        trace.path = String(args.request.url ?? '').split('?')[0];
        recordRoutes(args.request, trace);
      }
      framework.sendRequest(args);
    },
  },
  eventSource: eventMapping,
  // Every response that is not UTF-8 text goes back base64-encoded (src/binary-responses.generated.ts).
  binarySettings: { isBinary: isBinaryResponse },
  // Never a stack trace in a response, whatever NODE_ENV says.
  respondWithErrors: false,
  // Its own failures as JSON lines of the service's logger, not as printed objects.
  log: libraryLog('serverless-express'),
});

function httpMethod(event: HttpEvent): string {
  return 'httpMethod' in event ? event.httpMethod : event.requestContext.http.method;
}

/**
 * The Lambda handler. `callback` is accepted, and ignored, for callers written for handlers of
 * the (event, context, callback) form; the answer is the promise's value.
 */
export async function handler(event: unknown, context: Context, _callback?: Callback): Promise<unknown> {
  logger.addContext(context);
  // Anything but an HTTP event is logged and refused with a clear error (src/lambda-events.generated.ts),
  // before serverless-express can fail on it or turn it into a request to the app.
  const httpEvent = assertHttpEvent(event);
  logger.appendKeys({ apiRequestId: apiRequestId(httpEvent) });
  // A subsegment of the invocation's segment for the request: X-Ray keeps no annotations on the
  // segment Lambda opens. Everything annotated while it is active (by routes too) lands on it.
  const invocation = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
  const segment = invocation?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
  if (segment) tracer.setSegment(segment);
  const trace: RequestTrace = {};
  try {
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    // The id in the response's x-request-id and in its log lines (a load balancer gives none: the invocation's).
    tracer.putAnnotation('requestId', apiRequestId(httpEvent) ?? context.awsRequestId);
    tracer.putAnnotation('httpMethod', httpMethod(httpEvent));
    const response = await requestTraces.run(trace, () => serve(httpEvent, context, () => undefined)) as { statusCode?: unknown };
    if (trace.route !== undefined) tracer.putAnnotation('httpRoute', trace.route);
    if (typeof response?.statusCode === 'number') tracer.putAnnotation('httpStatus', response.statusCode);
    if (trace.path !== undefined) tracer.putMetadata('path', trace.path);
    return response;
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    segment?.close();
    if (invocation) tracer.setSegment(invocation);
    logger.removeKeys(['apiRequestId']);
  }
}
