import type { ErrorRequestHandler, RequestHandler } from 'express';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly status: number;
    readonly message: string;
  };
}

function errorBody(status: number, message: string): ErrorBody {
  return { error: { status, message } };
}

/** Answers any request that no route matched with a JSON 404. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody(404, `No route for ${req.method} ${req.path}`));
};

/**
 * Answers errors with JSON. Client errors (4xx, such as malformed JSON or a body
 * over the limit) keep their message; anything else becomes a 500 whose details
 * stay in the log, never in the response.
 */
export const errorResponder: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const status = Number(err?.status ?? err?.statusCode);
  if (status >= 400 && status < 500) {
    res.status(status).json(errorBody(status, err.expose === false ? 'Bad request' : String(err.message)));
    return;
  }
  console.error(err);
  res.status(500).json(errorBody(500, 'Internal server error'));
};
