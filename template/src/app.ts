import { Router } from 'express';
import type express from 'express';
import { v1Router } from './routes/v1';
import { serviceApp } from './service-app.generated';

/**
 * The service's Express app: your routes, inside the template's plumbing
 * (src/service-app.generated.ts: request ids, security headers, CORS, JSON and form bodies,
 * the health route, JSON errors). The Lambda handler, the local server and the tests all
 * start from here, so they run the very same app. Mount your routers below.
 */
export function createApp(): express.Express {
  const routes = Router();
  routes.use('/api/v1', v1Router());
  return serviceApp(routes);
}
