import { Router } from 'express';

/** Routes of version 1 of the API, mounted at /api/v1. Add the service's own routes here. */
export function v1Router(): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  return router;
}
