import { STATUS_CODES } from 'http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { logger } from './logger.generated';
import { requestIdOf } from './request-id.generated';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly status: number;
    readonly message: string;
    /** The request's id, also in the `x-request-id` header and in the logs. */
    readonly requestId: string;
  };
}

/** The JSON body of an error response. */
export function errorBody(status: number, message: string, requestId: string): ErrorBody {
  return { error: { status, message, requestId } };
}

/**
 * An error whose status (4xx) and message the client may see. Throw it from a route
 * (`throw new HttpError(404, 'No such order')`); any other error becomes a 500.
 */
export class HttpError extends Error {
  /** Marks the message as safe to send, as the errors of `http-errors` (body-parser's) do. */
  public readonly expose = true;

  constructor(public readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Fixed messages for the client errors of Express's body parsers (by their `type`), whose
 * own messages can quote the request (a JSON parse error quotes the body).
 */
const BODY_PARSER_MESSAGES = new Map<string, string>([
  ['entity.parse.failed', 'Malformed request body'],
  ['entity.too.large', 'Request body too large'],
  ['parameters.too.many', 'Too many parameters in the request body'],
  ['querystring.parse.rangeError', 'Too many parameters in the request body'],
  ['charset.unsupported', 'Unsupported charset'],
  ['encoding.unsupported', 'Unsupported content encoding'],
  ['request.aborted', 'Request aborted'],
  ['request.size.invalid', 'Request body does not match its content-length'],
  ['entity.verify.failed', 'Request body rejected'],
]);

const MALFORMED_URL = 'Malformed percent-encoding in the URL';

/** The 4xx status an error asks for, if it asks for a valid one. */
function clientErrorStatus(err: any): number | undefined {
  const status = Number(err?.status ?? err?.statusCode);
  return Number.isInteger(status) && status >= 400 && status <= 499 ? status : undefined;
}

function clientErrorMessage(err: any, status: number): string {
  const known = typeof err?.type === 'string' ? BODY_PARSER_MESSAGES.get(err.type) : undefined;
  if (known) return known;
  // The router's error for a path parameter such as /echo/%E0%A4 (its message quotes the path).
  if (err?.name === 'URIError') return MALFORMED_URL;
  if (err.expose === true && typeof err.message === 'string') return err.message;
  return STATUS_CODES[status] ?? 'Client error';
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Whether a path or a query string is well percent-encoded: every % starts an escape, and the escapes spell UTF-8. */
/** A percent-encoded text decoded, or undefined where its encoding is malformed. */
export function tryDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Refuses a URL whose path or query holds a malformed percent-encoding (`/files/100%`,
 * `?q=%E0%A4`) with a JSON 400, before any route reads it: locally and on every Lambda source
 * alike (Express alone would route it, decode it to U+FFFD, or fail on a path parameter).
 */
export const rejectMalformedUrl: RequestHandler = (req, _res, next) => {
  const queryStart = req.url.indexOf('?');
  const path = queryStart === -1 ? req.url : req.url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : req.url.slice(queryStart + 1);
  next(tryDecode(path) !== undefined && tryDecode(query) !== undefined ? undefined : new HttpError(400, MALFORMED_URL));
};

/** Answers any request that no route matched with a JSON 404. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody(404, `No route for ${req.method} ${req.path}`, requestIdOf(req, res)));
};

/**
 * Answers errors with JSON, always with the request id. Client errors (4xx, such as
 * malformed JSON, a body over the limit or an `HttpError`) keep their status, with a fixed
 * message unless the error is marked `expose`; anything else becomes a 500 whose details
 * stay in the log (with the request id), never in the response.
 */
export const errorResponder: ErrorRequestHandler = (err, req, res, next) => {
  const requestId = requestIdOf(req, res);
  if (res.headersSent) {
    // Too late to answer with JSON: log it, and let Express end the response.
    logger.error('Error after the response started', { requestId, error: asError(err) });
    next(err);
    return;
  }
  const status = clientErrorStatus(err);
  if (status !== undefined) {
    res.status(status).json(errorBody(status, clientErrorMessage(err, status), requestId));
    return;
  }
  logger.error('Unhandled error', { requestId, error: asError(err) });
  res.status(500).json(errorBody(500, 'Internal server error', requestId));
};
