import cors from 'cors';
import express from 'express';
import { errorResponder, notFound } from './middleware/errors';
import { v1Router } from './routes/v1';

/** Largest request body the app accepts; a bigger one is answered with 413. */
export const BODY_LIMIT = '1mb';

/**
 * Builds the service's Express app. The Lambda handler, the local dev server
 * and the tests all start from here, so they run the very same app.
 */
export function createApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.use(cors());
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));

  app.use('/api/v1', v1Router());

  app.use(notFound);
  app.use(errorResponder);
  return app;
}
