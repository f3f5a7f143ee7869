import { randomUUID } from 'crypto';
import { getCurrentInvoke } from '@codegenie/serverless-express';
import type { Request, RequestHandler, Response } from 'express';

/** The header that carries the request id, in requests (local runs) and in every response. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller may send as its own request id: letters, digits and dashes, at most 128 of them. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9-]{1,128}$/;

/**
 * Ids that AWS gives (API Gateway's can hold `=` or `+`): any visible ASCII, at most 128
 * characters, so that they are always safe in a header.
 */
const AWS_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** Whether a caller's `x-request-id` is acceptable as the request id. */
export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && CALLER_REQUEST_ID.test(value);
}

/**
 * On Lambda, the id of the current request: API Gateway's request id (REST and HTTP APIs,
 * function URLs), else the Lambda invocation's id (as behind a load balancer). Undefined
 * outside Lambda, where serverless-express has no current invocation.
 */
export function lambdaRequestId(): string | undefined {
  const { event, context } = getCurrentInvoke();
  const candidates: unknown[] = [event?.requestContext?.requestId, context?.awsRequestId];
  return candidates.find((id): id is string => typeof id === 'string' && AWS_REQUEST_ID.test(id));
}

/**
 * The request's id, chosen once and kept in `res.locals.requestId`: on Lambda the id AWS gave
 * (a caller's `x-request-id` is ignored there), elsewhere the caller's valid `x-request-id`,
 * else a new UUID. Sets the `x-request-id` response header while headers can still be set.
 */
export function requestIdOf(req: Request, res: Response): string {
  const existing: unknown = res.locals.requestId;
  const id = typeof existing === 'string' ? existing : newRequestId(req);
  res.locals.requestId = id;
  if (!res.headersSent && !res.hasHeader(REQUEST_ID_HEADER)) {
    res.setHeader(REQUEST_ID_HEADER, id);
  }
  return id;
}

function newRequestId(req: Request): string {
  const fromCaller = req.headers[REQUEST_ID_HEADER];
  return lambdaRequestId() ?? (isValidRequestId(fromCaller) ? fromCaller : randomUUID());
}

/** Gives every request its id (see `requestIdOf`), before any other middleware can answer. */
export const requestId: RequestHandler = (req, res, next) => {
  requestIdOf(req, res);
  next();
};
