import express from 'express';
import { HttpError } from '../../src/errors.generated';
import { serviceApp } from '../../src/service-app.generated';

/**
 * The template's plumbing around routes that exist only in the generated tests, so that those
 * tests hold whatever routes the service has: an echo of path parameters and JSON bodies, and
 * a probe that answers with the request as Express parsed it.
 */
export function probeApp(): express.Express {
  const routes = express.Router();
  routes.get('/api/v1/echo/:word', (req, res) => {
    res.json({ word: req.params.word });
  });
  routes.post('/api/v1/echo', (req, res) => {
    if (!req.is('application/json')) {
      throw new HttpError(415, 'Send a JSON body, with content-type application/json');
    }
    res.json({ body: req.body });
  });
  routes.all('/api/v1/test-probe', (req, res) => {
    res.json({ method: req.method, query: req.query, cookie: req.headers.cookie ?? null, custom: req.headers['x-custom'] ?? null });
  });
  return serviceApp(routes);
}
