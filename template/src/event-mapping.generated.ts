import { stringify } from 'querystring';
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent } from 'aws-lambda';
import type express from 'express';
import type { HeaderValue } from './binary-responses.generated';
import { errorBody, tryDecode } from './errors.generated';
import { type HttpEvent, type HttpEventSource, httpEventSource } from './lambda-events.generated';
import { logger } from './logger.generated';
import { lambdaRequestId, REQUEST_ID_HEADER } from './request-id.generated';
import { securityHeaders } from './service-app.generated';

// How a Lambda HTTP event becomes a request to the app, and the app's response a Lambda
// response, so that the app answers on Lambda as it does under `npx projen dev` and supertest.
// serverless-express does the mapping; this module corrects what it gets wrong for this app:
// - the URL: the app sees the path and query as the client encoded them (serverless-express
//   routes a REST API on the decoded {proxy+} parameter, so %2F became / and %25 a bare %, and
//   throws on an ALB query such as ?q=100%, answering 500 with an empty body);
// - an empty request body gets the `content-length: 0` a client sends (REST events carry no
//   Content-Length, and without one `req.is()` and the body parsers see no body at all);
// - `req.body` is left unset for the body parsers, as locally (serverless-express presets it to a Buffer);
// - a relative Location keeps the stage path of the URL the client called (`/live`);
// - a text body whose bytes are not UTF-8 goes back base64-encoded instead of mangled;
// - a response over the source's size limit becomes a JSON 500 with the request id, and its size is logged.

/** A response header's value as Node keeps it. */
type Headers = Record<string, HeaderValue>;

/** What serverless-express's event sources turn an event into. */
interface RequestValues {
  method: string;
  headers: Record<string, string | undefined>;
  body?: Buffer;
  remoteAddress?: string;
  path: string;
}

/** What serverless-express hands an event source to build the Lambda response from. */
export interface ResponseValues {
  readonly event: HttpEvent;
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Headers;
  readonly isBase64Encoded: boolean;
  /** The app's response; absent when serverless-express answers its own failure. */
  readonly response?: unknown;
}

/** A Lambda HTTP response in any of the sources' formats. */
export interface LambdaHttpResponse {
  readonly statusCode: number;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly headers?: Record<string, string>;
  readonly multiValueHeaders?: Record<string, string[]>;
  readonly cookies?: string[];
}

interface EventSource {
  getRequest(args: { event: unknown; context: unknown; log: unknown }): RequestValues;
  getResponse(args: ResponseValues): LambdaHttpResponse;
}

// serverless-express's own mappings, wrapped below (the package exports no way to wrap them).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builtIn = require('@codegenie/serverless-express/src/event-sources') as { getEventSource(o: { eventSourceName: string }): EventSource };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ServerlessResponse = require('@codegenie/serverless-express/src/response') as { body(response: unknown): Buffer };

const BUILT_IN_NAMES: Record<HttpEventSource, string> = {
  'API Gateway REST API': 'AWS_API_GATEWAY_V1',
  'API Gateway HTTP API': 'AWS_API_GATEWAY_V2',
  'Lambda function URL': 'AWS_API_GATEWAY_V2',
  'Application Load Balancer': 'AWS_ALB',
};

/**
 * The largest Lambda response each source accepts, counted as the JSON Lambda sends (base64
 * bodies at their encoded size): 6 MB for a synchronous invocation, 1 MB behind a load balancer.
 */
export const RESPONSE_LIMITS: Readonly<Record<HttpEventSource, number>> = {
  'API Gateway REST API': 6 * 1024 * 1024,
  'API Gateway HTTP API': 6 * 1024 * 1024,
  'Lambda function URL': 6 * 1024 * 1024,
  'Application Load Balancer': 1024 * 1024,
};

/** Methods whose requests Node's HTTP client (like browsers) sends without Content-Length when they have no body. */
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

function sourceOf(event: HttpEvent): HttpEventSource {
  const source = httpEventSource(event);
  if (!source) throw new Error('Not an HTTP event'); // the handler refuses these before serverless-express runs
  return source;
}

function safeDecode(text: string): string {
  return tryDecode(text) ?? text;
}

/** Whatever cannot appear as it is in a percent-encoded path: a % that starts no escape, ?, #, spaces, controls and non-ASCII. */
const NOT_IN_ENCODED_PATH = /%(?![0-9A-Fa-f]{2})|[?#]|[^\x21-\x7e]/gu;

/**
 * A path percent-encoded as a client sends it. Encoded paths come back unchanged; decoded ones
 * (an HTTP API decodes `rawPath`) are encoded again. What decoding lost cannot come back: an
 * encoded slash (%2F) stays a slash, and a %25 followed by two hex digits becomes an escape.
 */
export function encodedPath(path: string): string {
  return path.replace(NOT_IN_ENCODED_PATH, (char) => {
    try {
      return encodeURIComponent(char);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate: U+FFFD, as a UTF-8 decoder would make it
    }
  });
}

/**
 * The path a REST API request is for, as the client encoded it: the end of `path` that API
 * Gateway decoded into the {proxy+} parameter (`path` may also hold a custom domain's base path).
 */
function restApiPath(event: Pick<APIGatewayProxyEvent, 'path' | 'pathParameters' | 'resource'>): string {
  const proxy = event.pathParameters?.proxy;
  if (proxy === undefined) return event.resource === '/' ? '/' : event.path;
  const routed = `/${proxy}`;
  for (let start = 0; start !== -1; start = event.path.indexOf('/', start + 1)) {
    const candidate = event.path.slice(start);
    if (candidate === routed || safeDecode(candidate) === routed) return candidate;
  }
  return encodedPath(routed);
}

/** A query string of decoded parameters, encoded again (REST API events hold only decoded ones). */
function encodedQuery(query: Record<string, string | string[] | undefined> | null): string {
  return query ? stringify(query as Record<string, string | string[]>) : '';
}

/** An ALB's query, as the client encoded it (an ALB passes keys and values undecoded). */
function albQuery(event: Pick<ALBEvent, 'multiValueQueryStringParameters' | 'queryStringParameters'>): string {
  const query = event.multiValueQueryStringParameters ?? event.queryStringParameters ?? {};
  return Object.entries(query).flatMap(([key, values]) => [values ?? []].flat().map((value) => `${key}=${value}`)).join('&');
}

/** A URL of a path and a query string (a ? or # in the path would start the query or the fragment). */
const url = (path: string, query: string) => `${path.replace(/[?#]/g, encodeURIComponent)}${query ? `?${query}` : ''}`;

/** The URL the app receives: path and query as the client encoded them, as far as the source kept them. */
function requestUrl(event: HttpEvent, source: HttpEventSource): string {
  switch (source) {
    case 'API Gateway REST API': {
      const rest = event as APIGatewayProxyEvent;
      return url(restApiPath(rest), encodedQuery(rest.multiValueQueryStringParameters ?? rest.queryStringParameters));
    }
    case 'Application Load Balancer':
      return url((event as ALBEvent).path, albQuery(event as ALBEvent));
    case 'API Gateway HTTP API':
      // The one source that decodes the path.
      return url(encodedPath((event as APIGatewayProxyEventV2).rawPath), (event as APIGatewayProxyEventV2).rawQueryString ?? '');
    default:
      return url((event as LambdaFunctionURLEvent).rawPath, (event as LambdaFunctionURLEvent).rawQueryString ?? '');
  }
}

/**
 * What the client's URL holds before the path the app sees: the stage (`/live`) of an
 * execute-api URL, or a custom domain's base path. Only a REST API event tells it.
 */
function stagePrefix(event: HttpEvent, source: HttpEventSource): string {
  if (source !== 'API Gateway REST API') return '';
  const rest = event as APIGatewayProxyEvent;
  const called = rest.requestContext.path;
  if (typeof called !== 'string') return '';
  const appPath = restApiPath(rest);
  const prefix = [[called, appPath], [safeDecode(called), safeDecode(appPath)]]
    .map(([whole, end]) => (end === '/' ? whole.replace(/\/$/, '') : whole.endsWith(end) ? whole.slice(0, whole.length - end.length) : undefined))
    .find((found) => found !== undefined);
  return prefix !== undefined && /^(\/[^/]+)*$/.test(prefix) ? prefix : '';
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** The request to the app: serverless-express's mapping, with the URL, an empty body and its length corrected. */
function getRequest(args: { event: unknown; context: unknown; log: unknown }): RequestValues {
  const event = args.event as HttpEvent;
  const source = sourceOf(event);
  // An ALB's query is left out of serverless-express's mapping, which throws on a malformed one.
  const mapped = source === 'Application Load Balancer'
    ? { ...args, event: { ...event, queryStringParameters: null, multiValueQueryStringParameters: null } }
    : args;
  const values = builtIn.getEventSource({ eventSourceName: BUILT_IN_NAMES[source] }).getRequest(mapped);
  const headers = { ...values.headers };
  if (values.body === undefined && !BODILESS_METHODS.has(values.method.toUpperCase())
    && !hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
    headers['content-length'] = '0';
  }
  return { ...values, headers, path: requestUrl(event, source) };
}

/** Headers of a response that no longer describe its body once an error replaces it. */
const REPRESENTATION_HEADERS = new Set([
  'content-type', 'content-length', 'content-encoding', 'content-disposition', 'content-language', 'content-location',
  'content-range', 'accept-ranges', 'etag', 'last-modified', 'expires', 'cache-control', 'location', 'set-cookie', 'transfer-encoding',
]);

let cachedSecurityHeaders: Headers | undefined;

/** The security headers the app puts on every response (helmet), for errors answered without the app. */
function appSecurityHeaders(): Headers {
  if (!cachedSecurityHeaders) {
    const headers: Headers = {};
    const res = {
      setHeader: (name: string, value: HeaderValue) => { headers[name.toLowerCase()] = value; },
      removeHeader: (name: string) => { delete headers[name.toLowerCase()]; },
    };
    securityHeaders()({} as express.Request, res as unknown as express.Response, () => undefined);
    cachedSecurityHeaders = headers;
  }
  return cachedSecurityHeaders;
}

/** A JSON error response in the source's format, keeping the app's other headers (security headers, CORS, request id). */
function errorResponse(source: EventSource, event: HttpEvent, status: number, message: string, requestId: string,
  appHeaders: Headers): LambdaHttpResponse {
  const body = JSON.stringify(errorBody(status, message, requestId));
  const kept = Object.entries(appHeaders).filter(([name]) => !REPRESENTATION_HEADERS.has(name.toLowerCase()));
  const headers: Headers = {
    ...Object.fromEntries(kept),
    [REQUEST_ID_HEADER]: requestId,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  };
  return source.getResponse({ event, statusCode: status, body, headers, isBase64Encoded: false });
}

/** At most this much of a response is headers and JSON syntax; a body far below its limit needs no exact count. */
const HEADROOM = 64 * 1024;

/** The size of a response as Lambda sends it: its JSON, in bytes (a JSON string takes at most 6 bytes per character). */
function payloadBytes(response: LambdaHttpResponse, limit: number): number | undefined {
  if (response.body.length * 6 + HEADROOM <= limit) return undefined;
  return Buffer.byteLength(JSON.stringify(response));
}

/** The Lambda response: serverless-express's mapping, with the corrections listed at the top of this file. */
function getResponse(args: ResponseValues): LambdaHttpResponse {
  const { event, response } = args;
  const source = sourceOf(event);
  const mapping = builtIn.getEventSource({ eventSourceName: BUILT_IN_NAMES[source] });
  const requestId = String(args.headers[REQUEST_ID_HEADER] ?? lambdaRequestId() ?? '');
  if (response === undefined) {
    // serverless-express failed before or after the app answered: its own answer is an empty 500.
    return errorResponse(mapping, event, 500, 'Internal server error', requestId, appSecurityHeaders());
  }

  let { body, isBase64Encoded } = args;
  if (!isBase64Encoded && body.includes('\uFFFD')) {
    // A text body that a UTF-8 decoder changed (bytes that are not UTF-8, whatever the charset said): send its bytes.
    const bytes = ServerlessResponse.body(response);
    if (!bytes.equals(Buffer.from(body))) {
      body = bytes.toString('base64');
      isBase64Encoded = true;
    }
  }
  const headers = { ...args.headers };
  const location = headers.location;
  const prefix = typeof location === 'string' && /^\/(?![/\\])/.test(location) ? stagePrefix(event, source) : '';
  if (prefix) headers.location = `${prefix}${location}`;

  const result = mapping.getResponse({ ...args, body, isBase64Encoded, headers });
  const limit = RESPONSE_LIMITS[source];
  const bytes = payloadBytes(result, limit);
  if (bytes === undefined || bytes <= limit) return result;
  logger.error('Response too large', {
    requestId, source, bytes, limit, statusCode: args.statusCode, contentType: args.headers['content-type'], isBase64Encoded,
  });
  return errorResponse(mapping, event, 500, 'Response too large', requestId, args.headers);
}

/**
 * The `eventSource` the handler gives serverless-express: its own mapping of REST API, HTTP
 * API, load balancer and function URL events, corrected as listed at the top of this file.
 */
export const eventMapping = { getRequest, getResponse };

/**
 * The `framework` the handler gives serverless-express: the Express app, called as Node's HTTP
 * server calls it, with `req.body` unset (serverless-express presets it to the raw body, which
 * the body parsers would then leave alone: a route would see a Buffer where it sees undefined locally).
 */
export function expressFramework(app: express.Express): { sendRequest(args: { request: any; response: any }): void } {
  return {
    sendRequest: ({ request, response }) => {
      delete request.body;
      app(request, response);
    },
  };
}
