import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import express from 'express';
import { HttpError } from '../../src/errors.generated';
import { serviceApp } from '../../src/service-app.generated';

/** A 1×1 PNG image: binary bytes (its first is 0x89), as `res.sendFile` serves them from disk. */
export const PNG_BYTES = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const PNG_MODIFIED = new Date('2025-01-01T00:00:00Z');

/** `size` bytes counting 0, 1, ... 255, 0, 1...: every byte value, none of them valid UTF-8 from 0x80 up. */
export function everyByte(size = 256): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => i % 256));
}

/**
 * The template's plumbing around routes that exist only in the generated tests, so that those
 * tests hold whatever routes the service has: an echo of path parameters and JSON bodies, a
 * probe that answers with the request as Express parsed it, and the kinds of responses that
 * differ between Express and Lambda when the mapping is wrong (binary, compressed, cookies,
 * redirects, empty bodies).
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
  // What a route sees of the request's body and URL: the parsed body, or its type when no parser read it.
  routes.all('/api/v1/test-body', (req, res) => {
    res.json({
      body: req.body === undefined || Buffer.isBuffer(req.body) ? null : req.body,
      bodyType: Buffer.isBuffer(req.body) ? 'Buffer' : typeof req.body,
      isJson: req.is('application/json'),
      url: req.originalUrl,
    });
  });
  // `size` bytes (every byte value, or `fill`) with any content type: ?type=application/pdf&size=1000
  routes.get('/api/v1/test-bytes', (req, res) => {
    const size = Number(req.query.size ?? 256);
    const bytes = req.query.fill === undefined ? everyByte(size) : Buffer.alloc(size, String(req.query.fill));
    res.set('content-type', String(req.query.type ?? 'application/octet-stream')).send(bytes);
  });
  // A file sent from disk (a stream), from a folder of its own, removed once sent.
  routes.get('/api/v1/test-file.png', (_req, res, next) => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    writeFileSync(join(dir, 'pixel.png'), PNG_BYTES);
    utimesSync(join(dir, 'pixel.png'), PNG_MODIFIED, PNG_MODIFIED); // the same ETag and Last-Modified every time
    res.sendFile(join(dir, 'pixel.png'), (error) => {
      rmSync(dir, { recursive: true, force: true });
      if (error) next(error);
    });
  });
  // A binary upload, answered with its own bytes and content type.
  routes.post('/api/v1/test-upload', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    res.type(req.get('content-type') ?? 'application/octet-stream').send(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
  });
  routes.get('/api/v1/test-gzip', (_req, res) => {
    res.set({ 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' })
      .send(gzipSync(JSON.stringify({ compressed: true, text: 'Grüße 日本' })));
  });
  routes.get('/api/v1/test-cookies', (_req, res) => {
    res.cookie('session', 'abc', { httpOnly: true, secure: true, sameSite: 'strict' }).cookie('theme', 'dark').json({ cookies: 2 });
  });
  routes.get('/api/v1/test-redirect', (req, res) => {
    res.redirect(String(req.query.to ?? '/api/v1/health'));
  });
  // Differs on Lambda by nature (documented): what the parity test must not let through.
  routes.get('/api/v1/test-client', (req, res) => {
    res.json({ protocol: req.protocol });
  });
  routes.delete('/api/v1/test-items/:id', (_req, res) => {
    res.status(204).end();
  });
  return serviceApp(routes);
}
