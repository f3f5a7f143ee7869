import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import { HEALTH_PATH } from './constants.generated';
import { errorResponder, notFound, rejectMalformedUrl } from './errors.generated';
import { REQUEST_ID_HEADER, requestId } from './request-id.generated';

// The template's plumbing around the service's own routes (src/app.ts): what every response
// goes through, on Lambda and locally alike. Generated: template improvements reach it with
// every upgrade of the template package.

/** Largest request body the app accepts; a bigger one is answered with 413. */
export const BODY_LIMIT = '1mb';

/**
 * Origins allowed to call the API from a browser. The pipeline sets CORS_ALLOWED_ORIGINS
 * per stage (comma-separated; empty allows none); unset, as in local runs, allows any.
 */
export function allowedOrigins(value = process.env.CORS_ALLOWED_ORIGINS): cors.CorsOptions['origin'] {
  if (value === undefined) return '*';
  const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
  if (origins.includes('*')) return '*';
  return origins.length > 0 ? origins : false;
}

/**
 * Security headers for a JSON API (helmet's defaults, with a Content-Security-Policy that
 * allows nothing: the API serves no pages, scripts or styles, and may not be framed).
 */
export function securityHeaders(): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    xFrameOptions: { action: 'deny' },
  });
}

/**
 * The service's Express app: request ids, security headers, CORS, a 400 for malformed URLs, JSON
 * and form bodies, the health route CodeDeploy's pre-traffic hook calls, then `routes`, then JSON
 * errors for anything no route answered or any route threw.
 */
export function serviceApp(routes: express.RequestHandler): express.Express {
  const app = express();
  app.disable('x-powered-by');

  // First, so that every response (errors and CORS preflights included) carries them.
  app.use(requestId);
  app.use(securityHeaders());
  app.use(cors({ origin: allowedOrigins(), exposedHeaders: [REQUEST_ID_HEADER] }));
  app.use(rejectMalformedUrl);
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));

  app.get(HEALTH_PATH, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(routes);

  app.use(notFound);
  app.use(errorResponder);
  return app;
}
