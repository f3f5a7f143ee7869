import serverlessExpress from '@codegenie/serverless-express';
import type { Callback, Context } from 'aws-lambda';
import { createApp } from './app';
import { isBinaryResponse } from './binary-responses.generated';
import { eventMapping, expressFramework } from './event-mapping.generated';
import { apiRequestId, assertHttpEvent } from './lambda-events.generated';
import { logger } from './logger.generated';

// Built once per execution environment (at cold start) and reused by every invocation.
const app = createApp();
const serve = serverlessExpress({
  app,
  // The request and response mapped so that the app answers as it does locally (src/event-mapping.generated.ts).
  framework: expressFramework(app),
  eventSource: eventMapping,
  // Every response that is not UTF-8 text goes back base64-encoded (src/binary-responses.generated.ts).
  binarySettings: { isBinary: isBinaryResponse },
  // Never a stack trace in a response, whatever NODE_ENV says.
  respondWithErrors: false,
});

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
  try {
    return await serve(httpEvent, context, () => undefined);
  } finally {
    logger.removeKeys(['apiRequestId']);
  }
}
