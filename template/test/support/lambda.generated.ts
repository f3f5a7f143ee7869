import type {
  ALBEvent, ALBResult, APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult, Context, LambdaFunctionURLEvent,
} from 'aws-lambda';
import { SAMPLE_EVENTS } from './events.generated';
import { handler } from '../../src/handler.generated';

/** A copy of one of the real Lambda events (test/support/events.generated.ts), by its file name in test/events/. */
export function loadEvent<T = unknown>(fileName: string): T {
  const event = SAMPLE_EVENTS[fileName];
  if (event === undefined) throw new Error(`No sample event ${fileName}`);
  return structuredClone(event) as T;
}

/** An HTTP request as a client sends it; the builders below turn it into each source's event. */
export interface HttpRequest {
  readonly method?: string;
  /** The path as the client sent it (percent-encoded or not). */
  readonly path: string;
  /** Query parameters, each with all its values (repeated keys). */
  readonly query?: Record<string, string[]>;
  /** The query string exactly as the client sent it, without `?` (`q=100%25&tag=a`); given, it replaces `query`. */
  readonly rawQuery?: string;
  /** Extra headers (lower-case names), each with all its values. */
  readonly headers?: Record<string, string[]>;
  readonly cookies?: string[];
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

const flatten = (values: Record<string, string[]>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.join(',')]));
const last = (values: Record<string, string[]>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[v.length - 1]]));
const withoutKeys = <T extends object>(obj: T, names: string[]) =>
  Object.fromEntries(Object.entries(obj).filter(([k]) => !names.includes(k.toLowerCase())));
const rawQuery = (query: Record<string, string[]>) =>
  Object.entries(query).flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');
/** The path as API Gateway decodes it for path parameters (an undecodable one stays as it is). */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
/** The query string as the client sent it. */
const queryString = (req: HttpRequest) => req.rawQuery ?? rawQuery(req.query ?? {});
/** The parameters of a query string, keys and values as the client encoded them, in order. */
function encodedParameters(query: string): Record<string, string[]> {
  const parameters: Record<string, string[]> = {};
  for (const pair of query.split('&').filter(Boolean)) {
    const [key, value = ''] = pair.split(/=(.*)/s);
    (parameters[key] ??= []).push(value);
  }
  return parameters;
}
/** The parameters of a query string, decoded as API Gateway decodes them (an undecodable one stays as it is). */
const decodedParameters = (query: string) => Object.fromEntries(Object.entries(encodedParameters(query))
  .map(([k, vs]) => [decodedPath(k), vs.map(decodedPath)]));
/** The stage of the REST API, the first segment of its execute-api URL (`https://{api}.execute-api.{region}.amazonaws.com/live/`). */
export const REST_API_STAGE = 'live';

/** API Gateway REST API, payload 1.0, through the `{proxy+}` resource (apigw-request.json). */
export function restApiEvent(req: HttpRequest): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>('apigw-request.json');
  const multiValueHeaders = {
    ...withoutKeys(event.multiValueHeaders, ['content-type', ...Object.keys(req.headers ?? {})]),
    ...req.headers,
  } as Record<string, string[]>;
  const method = req.method ?? 'GET';
  const query = queryString(req) ? decodedParameters(queryString(req)) : null;
  return {
    ...event,
    httpMethod: method,
    // The path after the stage, as the client encoded it.
    path: req.path,
    // API Gateway decodes path parameters; serverless-express would route on this one.
    pathParameters: { proxy: decodedPath(req.path).slice(1) },
    headers: last(multiValueHeaders),
    multiValueHeaders,
    // API Gateway decodes query parameters (and answers a malformed query itself, with a 400).
    queryStringParameters: query ? last(query) : null,
    multiValueQueryStringParameters: query,
    // The path the client called, through the stage's execute-api URL.
    requestContext: { ...event.requestContext, httpMethod: method, stage: REST_API_STAGE, path: `/${REST_API_STAGE}${req.path}` },
    body: req.body ?? null,
    isBase64Encoded: req.isBase64Encoded ?? false,
  };
}

function payloadV2<T extends APIGatewayProxyEventV2 | LambdaFunctionURLEvent>(event: T, req: HttpRequest, rawPath: string): T {
  const method = req.method ?? 'GET';
  const { cookies: _cookies, body: _body, ...rest } = event;
  const query = queryString(req);
  // Payload 2.0 moves Cookie headers into `cookies`.
  const { cookie: cookieHeaders, ...headers } = req.headers ?? {};
  const cookies = req.cookies ?? cookieHeaders?.flatMap((value) => value.split(/;\s*/));
  return {
    ...rest,
    rawPath,
    rawQueryString: query,
    queryStringParameters: query ? flatten(decodedParameters(query)) : undefined,
    headers: { ...withoutKeys(event.headers, ['content-length', 'content-type', 'cookie', ...Object.keys(headers)]), ...flatten(headers) },
    ...(cookies ? { cookies } : {}),
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method, path: decodedPath(req.path) } },
    ...(req.body !== undefined ? { body: req.body } : {}),
    isBase64Encoded: req.isBase64Encoded ?? false,
  } as T;
}

/** API Gateway HTTP API, payload 2.0 (apigw-v2-request-no-authorizer.json). An HTTP API decodes `rawPath`. */
export function httpApiEvent(req: HttpRequest): APIGatewayProxyEventV2 {
  return payloadV2(loadEvent<APIGatewayProxyEventV2>('apigw-v2-request-no-authorizer.json'), req, decodedPath(req.path));
}

/** Lambda function URL, payload 2.0 (lambda-urls-request.json). A function URL keeps `rawPath` as the client encoded it. */
export function functionUrlEvent(req: HttpRequest): LambdaFunctionURLEvent {
  return payloadV2(loadEvent<LambdaFunctionURLEvent>('lambda-urls-request.json'), req, req.path);
}

/** Application Load Balancer target with multi-value headers (alb-lambda-target-request-multivalue-headers.json). */
export function albEvent(req: HttpRequest): ALBEvent {
  const event = loadEvent<ALBEvent>('alb-lambda-target-request-multivalue-headers.json');
  return {
    ...event,
    httpMethod: req.method ?? 'GET',
    path: req.path,
    // A load balancer passes query parameters as the client encoded them.
    multiValueQueryStringParameters: encodedParameters(queryString(req)),
    multiValueHeaders: { ...withoutKeys(event.multiValueHeaders!, Object.keys(req.headers ?? {})), ...req.headers },
    body: req.body ?? '',
    isBase64Encoded: req.isBase64Encoded ?? false,
  };
}

/**
 * Application Load Balancer target without multi-value headers: one value per header and query
 * parameter, the last one the client sent.
 */
export function albSingleValueEvent(req: HttpRequest): ALBEvent {
  const { multiValueHeaders, multiValueQueryStringParameters, ...event } = albEvent(req);
  const lowerCase = (values: object) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    ...event,
    headers: last(lowerCase(multiValueHeaders!)),
    queryStringParameters: last(multiValueQueryStringParameters as Record<string, string[]>),
  };
}

export const AWS_REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';

export const context = {
  awsRequestId: AWS_REQUEST_ID,
  functionName: 'service-handler',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** What every HTTP source gets back (payload 1.0 and ALB use multiValueHeaders, 2.0 headers). */
export type HttpResult = (APIGatewayProxyResult | ALBResult) & { cookies?: string[] };

/** Invokes the real handler, as Lambda would. */
export async function invoke(event: unknown): Promise<HttpResult> {
  return (await handler(event, context)) as HttpResult;
}

/** A response header, wherever the source's response format keeps it. */
export function header(res: HttpResult, name: string): string | undefined {
  const single = res.headers?.[name];
  if (single !== undefined) return String(single);
  const multi = res.multiValueHeaders?.[name];
  return multi === undefined ? undefined : multi.join(',');
}

/** The parsed JSON body of a response, after checking that it is JSON. */
export function jsonBody(res: HttpResult): any {
  expect(header(res, 'content-type')).toMatch(/^application\/json/);
  return JSON.parse(res.isBase64Encoded ? Buffer.from(res.body!, 'base64').toString('utf8') : res.body!);
}
