import { Router } from 'express';
import { HttpError } from '../errors.generated';

/** Routes of version 1 of the API, mounted at /api/v1. Add the service's own routes here. */
export function v1Router(): Router {
  const router = Router();

  // SAMPLE routes, to show path parameters, JSON bodies and client errors: replace them
  // with the service's own (and their tests in test/app.test.ts).
  router.get('/echo/:word', (req, res) => {
    res.json({ word: req.params.word });
  });

  router.post('/echo', (req, res) => {
    if (!req.is('application/json')) {
      throw new HttpError(415, 'Send a JSON body, with content-type application/json');
    }
    res.json({ body: req.body });
  });

  return router;
}
