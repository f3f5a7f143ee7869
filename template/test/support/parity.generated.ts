import { isUtf8 } from 'buffer';
import { randomUUID } from 'crypto';
import { stringify } from 'querystring';
import { brotliDecompressSync, unzipSync } from 'zlib';
import type express from 'express';
import request from 'supertest';
import {
  albEvent, albSingleValueEvent, functionUrlEvent, httpApiEvent, HttpRequest, HttpResult, invoke, REST_API_STAGE, restApiEvent,
} from './lambda.generated';
import { createApp } from '../../src/app';
import { isUtf8Text } from '../../src/binary-responses.generated';
import { encodedPath } from '../../src/event-mapping.generated';

// Local equals Lambda: one request, sent to the app through plain Express (supertest) and through
// the real Lambda handler with the event of every source, must get the same status, headers and
// body bytes, apart from the differences documented below. A service checks its own routes with
//   await expectSameOnLambda({ method: 'POST', path: '/api/v1/orders', headers: { 'content-type': ['application/json'] }, body: '{"id":1}' });

/** A request as a client sends it. */
export interface ParityRequest {
  readonly method?: string;
  /** The path, percent-encoded as the client sends it: `/api/v1/files/a%2Fb`. */
  readonly path: string;
  /** The query string as the client sends it, without `?`: `tag=a&tag=b`. */
  readonly query?: string;
  /** Request headers (lower-case names), each with its value or all its values. */
  readonly headers?: Record<string, string | string[]>;
  /** The body, sent as these bytes (a string as UTF-8). */
  readonly body?: string | Buffer;
  /**
   * Whether every event carries the body base64-encoded. A REST API (with its `binaryMediaTypes: ['*\/*']`)
   * always does; the other sources do for bodies that are not UTF-8 text, and may for any.
   * @default false
   */
  readonly base64?: boolean;
}

/** Where a Lambda request comes from, each with its own event (built by test/support/lambda.generated.ts). */
export type ParitySource =
  | 'API Gateway REST API'
  | 'API Gateway HTTP API'
  | 'ALB with multi-value headers'
  | 'ALB without multi-value headers'
  | 'Lambda function URL';

export const PARITY_SOURCES: readonly ParitySource[] = [
  'API Gateway REST API', 'API Gateway HTTP API', 'ALB with multi-value headers', 'ALB without multi-value headers', 'Lambda function URL',
];

/** A response as compared: status, headers (lower-case names, all values), and the body's exact bytes. */
export interface ComparableResponse {
  readonly status: number;
  readonly headers: Record<string, string[]>;
  /** The body's text when it is UTF-8, else `base64:` and its bytes in base64: either way, byte for byte. */
  readonly body: string;
}

/** A difference between Express and Lambda that no mapping removes, and how the comparison allows for it. */
export interface DocumentedDifference {
  readonly sources: readonly ParitySource[];
  readonly difference: string;
  readonly why: string;
  /** Why this source cannot be compared for this request at all, if it cannot. */
  readonly skip?: (req: ParityRequest) => string | undefined;
  /** The request as this source delivers it to the app: what Express is given to compare with. */
  readonly request?: (req: ParityRequest) => ParityRequest;
  /** Express's response as this source's client receives it. */
  readonly response?: (res: ComparableResponse) => ComparableResponse;
}

const LAMBDA: readonly ParitySource[] = PARITY_SOURCES;
const PAYLOAD_V2: readonly ParitySource[] = ['API Gateway HTTP API', 'Lambda function URL'];
const REQUEST_ID = '<request-id>';
const TRANSPORT_HEADERS = ['date', 'connection', 'keep-alive', 'transfer-encoding'];

const isWellEncoded = (text: string) => {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};
const headerValues = (req: ParityRequest): Record<string, string[]> =>
  Object.fromEntries(Object.entries(req.headers ?? {}).map(([name, value]) => [name.toLowerCase(), [value].flat()]));
const mapHeaders = (req: ParityRequest, map: (values: string[]) => string[]): ParityRequest =>
  ({ ...req, headers: Object.fromEntries(Object.entries(headerValues(req)).map(([name, values]) => [name, map(values)])) });
const queryPairs = (query: string) => query.split('&').filter(Boolean).map((pair) => pair.split(/=(.*)/s).slice(0, 2) as [string, string?]);

export const DOCUMENTED_DIFFERENCES: readonly DocumentedDifference[] = [
  {
    sources: LAMBDA,
    difference: 'x-request-id, and the request id wherever a body holds it (and then the ETag of that body)',
    why: 'On Lambda the id is API Gateway\'s (behind an ALB, the invocation\'s); locally a new UUID. Both are compared as <request-id>.',
  },
  {
    sources: LAMBDA,
    difference: 'Date, Connection, Keep-Alive and Transfer-Encoding response headers',
    why: 'Node\'s HTTP server sets them locally, API Gateway or the load balancer in front of Lambda; never the app. Not compared.',
  },
  {
    sources: LAMBDA.filter((source) => source !== 'ALB without multi-value headers'),
    difference: 'A request header sent several times reaches the app as one header, its values joined with "," (Node joins them with ", ")',
    why: 'API Gateway, function URLs and serverless-express (for multi-value events) join repeated headers so.',
    request: (req) => mapHeaders(req, (values) => [values.join(',')]),
  },
  {
    sources: ['API Gateway HTTP API'],
    difference: 'The path reaches the app decoded and encoded again: %2F arrives as "/", other encoded reserved characters '
      + 'decoded (req.path and routing change, path parameters do not), %25 followed by two hex digits as an escape',
    why: 'An HTTP API decodes rawPath before invoking the function; what it decoded cannot be told from what the client sent. '
      + 'A malformed escape in the path is API Gateway\'s own to answer, and is not compared.',
    skip: (req) => (isWellEncoded(req.path) ? undefined : 'an HTTP API decodes the path before the function: a malformed escape is its own to answer'),
    request: (req) => ({ ...req, path: encodedPath(decodeURIComponent(req.path)) }),
  },
  {
    sources: ['API Gateway REST API'],
    difference: 'The query string is rebuilt from the parameters API Gateway decoded: the same req.query, another encoding in '
      + 'req.originalUrl, repeated keys grouped; a malformed query is answered by API Gateway itself',
    why: 'A REST API event holds only decoded query parameters. API Gateway answers a malformed query (?q=100%) with its own 400 '
      + 'before invoking the function, so it is not compared.',
    skip: (req) => (isWellEncoded(req.query ?? '') ? undefined : 'API Gateway answers a malformed query string itself'),
    request: (req) => {
      if (req.query === undefined) return req;
      const grouped: Record<string, string[]> = {};
      for (const [key, value = ''] of queryPairs(req.query)) (grouped[decodeURIComponent(key)] ??= []).push(decodeURIComponent(value));
      return { ...req, query: stringify(grouped) };
    },
  },
  {
    sources: ['API Gateway REST API'],
    difference: `A Location that starts with "/" gains the stage's path (/${REST_API_STAGE}), or a custom domain's base path`,
    why: 'The client called https://{api}.execute-api.{region}.amazonaws.com/live/...: without the prefix a redirect would leave '
      + 'the stage. The handler adds what the client\'s path (requestContext.path) holds before the app\'s.',
    response: (res) => {
      const location = res.headers.location?.[0];
      if (location === undefined || !/^\/(?![/\\])/.test(location)) return res;
      return { ...res, headers: { ...res.headers, location: [`/${REST_API_STAGE}${location}`] } };
    },
  },
  {
    sources: ['ALB without multi-value headers'],
    difference: 'Only the last value of a repeated request header or query parameter reaches the app, and only the first value '
      + 'of a repeated response header (several Set-Cookie) the client',
    why: 'Without multi-value headers, a load balancer\'s event and response hold one value per name. Turn them on in the target group.',
    request: (req) => {
      const lastOfEach = new Map(queryPairs(req.query ?? '').map(([key, value]) => [key, value]));
      const query = [...lastOfEach].map(([key, value]) => (value === undefined ? key : `${key}=${value}`)).join('&');
      return { ...mapHeaders(req, (values) => values.slice(-1)), query: req.query === undefined ? undefined : query };
    },
    response: (res) => ({ ...res, headers: Object.fromEntries(Object.entries(res.headers).map(([name, values]) => [name, values.slice(0, 1)])) }),
  },
  {
    sources: PAYLOAD_V2,
    difference: 'A repeated response header other than Set-Cookie reaches the client as one, its values joined with ","',
    why: 'Payload 2.0 responses hold one value per header (cookies apart).',
    response: (res) => ({
      ...res,
      headers: Object.fromEntries(Object.entries(res.headers).map(([name, values]) => [name, name === 'set-cookie' ? values : [values.join(',')]])),
    }),
  },
  {
    sources: LAMBDA,
    difference: 'req.ip and req.protocol',
    why: 'On Lambda req.ip is the client\'s address from the event (empty behind an ALB, whose client is in X-Forwarded-For) and '
      + 'req.protocol is https; locally they are the socket\'s (127.0.0.1, http). Routes that answer with them are not comparable.',
  },
  {
    sources: LAMBDA,
    difference: 'Request headers the gateway adds (Host, X-Forwarded-For, Via, CloudFront-*) and those the local client adds (Host, Connection)',
    why: 'Each side\'s front adds its own. The events keep only those and the request\'s own headers.',
  },
  {
    sources: LAMBDA,
    difference: 'A response over 6 MB of Lambda response JSON (a base64 body counts at 4/3 of its size), 1 MB behind an ALB',
    why: 'Lambda and the load balancer refuse larger responses; the handler answers a JSON 500 with the request id instead, and logs the size.',
  },
];

/** Headers an event's gateway adds: kept in the events; every other sample header is replaced by the request's own. */
const GATEWAY_HEADER = /^(host|via|x-forwarded-.*|x-amzn-.*|x-amz-cf-id|cloudfront-.*)$/i;

let app: express.Express | undefined;

/** Express's response, as a client receives it (supertest, which also decompresses gzip, deflate and br bodies). */
async function sendToExpress(req: ParityRequest): Promise<ComparableResponse> {
  app ??= createApp();
  const url = `${req.path}${req.query !== undefined ? `?${req.query}` : ''}`;
  const agent = request(app) as unknown as Record<string, (url: string) => request.Test>;
  let test = agent[(req.method ?? 'GET').toLowerCase()](url).redirects(0).buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const headers = headerValues(req);
  // superagent asks for gzip unless told otherwise; the events carry only the request's own headers.
  if (!headers['accept-encoding']) test = (test as unknown as { unset(name: string): request.Test }).unset('accept-encoding');
  for (const [name, values] of Object.entries(headers)) test = test.set(name, values.length === 1 ? values[0] : values as unknown as string);
  // The bytes as they are (superagent would otherwise serialize a Buffer sent as JSON).
  if (req.body !== undefined) test = test.serialize((body) => body).send(Buffer.from(req.body));
  const res = await test;
  const raw: string[] = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  const rawHeaders: Record<string, string[]> = {};
  for (let i = 0; i < raw.length; i += 2) (rawHeaders[raw[i].toLowerCase()] ??= []).push(raw[i + 1]);
  return comparable(res.status, rawHeaders, Buffer.isBuffer(res.body) ? res.body : Buffer.alloc(0));
}

/** The request as one source's event: its body base64-encoded where the source would encode it. */
function lambdaEvent(source: ParitySource, req: ParityRequest): unknown {
  const headers = headerValues(req);
  const bytes = req.body === undefined || req.body.length === 0 ? undefined : Buffer.from(req.body);
  const text = bytes !== undefined && isUtf8(bytes) && isUtf8Text(headers['content-type']?.[0] ?? 'application/octet-stream');
  const base64 = bytes !== undefined && (source === 'API Gateway REST API' || req.base64 === true || !text);
  const httpRequest: HttpRequest = {
    method: req.method ?? 'GET',
    path: req.path,
    rawQuery: req.query ?? '',
    headers,
    body: bytes === undefined ? undefined : bytes.toString(base64 ? 'base64' : 'utf8'),
    isBase64Encoded: base64,
  };
  const builders: Record<ParitySource, (r: HttpRequest) => any> = {
    'API Gateway REST API': restApiEvent,
    'API Gateway HTTP API': httpApiEvent,
    'ALB with multi-value headers': albEvent,
    'ALB without multi-value headers': albSingleValueEvent,
    'Lambda function URL': functionUrlEvent,
  };
  const event = builders[source](httpRequest);
  // A request id as API Gateway gives (the function URL sample's is "id"), so that it is found only where it is.
  if (event.requestContext.requestId) event.requestContext.requestId = randomUUID();
  const ownOrGateway = <T>(values: Record<string, T>) =>
    Object.fromEntries(Object.entries(values).filter(([name]) => GATEWAY_HEADER.test(name) || headers[name.toLowerCase()] !== undefined));
  if (event.headers) event.headers = ownOrGateway(event.headers);
  if (event.multiValueHeaders) event.multiValueHeaders = ownOrGateway(event.multiValueHeaders);
  return event;
}

/** The response the handler gave, as its client receives it (decompressed as supertest decompresses). */
function lambdaResponse(result: HttpResult): ComparableResponse {
  const headers: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name.toLowerCase()] = values.map(String);
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = [String(value)];
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  let bytes = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  const encoding = headers['content-encoding']?.[0]?.trim();
  if (bytes.length > 0 && result.statusCode !== 204 && result.statusCode !== 304) {
    if (encoding === 'gzip' || encoding === 'deflate') bytes = unzipSync(bytes);
    if (encoding === 'br') bytes = brotliDecompressSync(bytes);
  }
  return comparable(result.statusCode, headers, bytes);
}

/** A response with what is never compared left out, and the request id replaced by a placeholder. */
function comparable(status: number, headers: Record<string, string[]>, bytes: Buffer): ComparableResponse {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !TRANSPORT_HEADERS.includes(name)));
  const id = kept['x-request-id']?.[0];
  let body = bytes;
  if (id) {
    for (const [name, values] of Object.entries(kept)) kept[name] = values.map((value) => value.split(id).join(REQUEST_ID));
    const text = bytes.toString('latin1');
    if (text.includes(id)) {
      body = Buffer.from(text.split(id).join(REQUEST_ID), 'latin1');
      if (kept.etag) kept.etag = ['<ETag of a body that holds the request id>'];
    }
  }
  return { status, headers: kept, body: isUtf8(body) ? body.toString('utf8') : `base64:${body.toString('base64')}` };
}

/** What `expectSameOnLambda` compared: Express's response, and each source's (or why it was not compared). */
export interface ParityReport {
  readonly express: ComparableResponse;
  readonly lambda: Partial<Record<ParitySource, ComparableResponse>>;
  readonly skipped: Partial<Record<ParitySource, string>>;
}

/**
 * Sends a request to the app through plain Express and through the Lambda handler with every
 * source's event, and expects the same status, headers and body bytes, apart from
 * DOCUMENTED_DIFFERENCES. Returns the responses, for more expectations.
 */
export async function expectSameOnLambda(sent: ParityRequest, sources: readonly ParitySource[] = PARITY_SOURCES): Promise<ParityReport> {
  const req = mapHeaders(sent, (values) => values); // headers as lists, as the transforms below give them
  const local = await sendToExpress(req);
  const report: ParityReport = { express: local, lambda: {}, skipped: {} };
  for (const source of sources) {
    const differences = DOCUMENTED_DIFFERENCES.filter((d) => d.sources.includes(source));
    const skipped = differences.map((d) => d.skip?.(req)).find((reason) => reason !== undefined);
    if (skipped) {
      report.skipped[source] = skipped;
      continue;
    }
    const delivered = differences.reduce((r, d) => d.request?.(r) ?? r, req);
    const received = JSON.stringify(delivered) === JSON.stringify(req) ? local : await sendToExpress(delivered);
    const expected = differences.reduce((r, d) => d.response?.(r) ?? r, received);
    const actual = lambdaResponse(await invoke(lambdaEvent(source, req)));
    report.lambda[source] = actual;
    expect({ source, ...actual }).toEqual({ source, ...expected });
  }
  return report;
}
