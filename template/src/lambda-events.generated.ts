import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { logger } from './logger.generated';

/** The events the Lambda handler answers: HTTP requests, from any of the sources below. */
export type HttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2 | ALBEvent | LambdaFunctionURLEvent;

export type HttpEventSource =
  | 'API Gateway REST API'
  | 'API Gateway HTTP API'
  | 'Application Load Balancer'
  | 'Lambda function URL';

/** What the handler accepts, in the words of the error it throws for anything else. */
export const ACCEPTED_EVENTS = 'HTTP requests from API Gateway (REST API or HTTP API), an Application Load Balancer or a Lambda function URL';

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isOptional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || value === null || check(value);

/**
 * Which HTTP source sent the event, or undefined for anything else (SQS, S3, EventBridge,
 * a test invoke with `{}`...). The checks mirror serverless-express's own detection (an
 * event with `Records` is a queue or bucket event to it even with a `requestContext`), and
 * also check the fields it reads, so that an accepted event never fails inside it.
 */
export function httpEventSource(event: unknown): HttpEventSource | undefined {
  if (!isFields(event) || !isFields(event.requestContext)) return undefined;
  const context = event.requestContext;
  if (event.Records || event.eventSource === 'SelfManagedKafka') return undefined;
  if (context.serviceNetworkArn && context.serviceArn) return undefined; // VPC Lattice
  if (!isOptional(event.body, isString)) return undefined;

  if (context.elb) {
    return isString(event.httpMethod) && isString(event.path) && isOptional(event.headers, isFields)
      && isOptional(event.multiValueHeaders, isFields) ? 'Application Load Balancer' : undefined;
  }
  if (event.version === '2.0') {
    if (!isFields(context.http) || !isString(context.http.method) || !isString(event.rawPath) || !isFields(event.headers)
      || !isOptional(event.rawQueryString, isString) || !isOptional(event.cookies, Array.isArray)) {
      return undefined;
    }
    return isString(context.domainName) && context.domainName.includes('.lambda-url.') ? 'Lambda function URL' : 'API Gateway HTTP API';
  }
  return isString(event.httpMethod) && isString(event.path) && isOptional(event.headers, isFields)
    && isOptional(event.multiValueHeaders, isFields) && isOptional(event.multiValueQueryStringParameters, isFields)
    ? 'API Gateway REST API' : undefined;
}

/** API Gateway's id of the request (REST and HTTP APIs, function URLs); a load balancer gives none. */
export function apiRequestId(event: HttpEvent): string | undefined {
  return 'requestId' in event.requestContext ? event.requestContext.requestId : undefined;
}

/** Thrown for an event the handler does not answer. */
export class UnsupportedEventError extends Error {
  constructor(public readonly received: string) {
    super(`Unsupported event: this function answers ${ACCEPTED_EVENTS}, but got ${received}`);
    this.name = 'UnsupportedEventError';
  }
}

/** A short, safe description of an event: its top-level keys (never their values), or its type. */
export function describeEvent(event: unknown): string {
  if (event === null || event === undefined) return String(event);
  if (Array.isArray(event)) return `an array of ${event.length} items`;
  if (typeof event !== 'object') return `a ${typeof event}`;
  const keys = Object.keys(event);
  if (keys.length === 0) return 'an event with no keys';
  const shown = keys.slice(0, 20).map((key) => JSON.stringify(key.length > 50 ? `${key.slice(0, 50)}...` : key));
  const more = keys.length > shown.length ? ` and ${keys.length - shown.length} more` : '';
  return `an event with top-level keys ${shown.join(', ')}${more}`;
}

/**
 * Returns the event if it is an HTTP request the handler answers; otherwise logs it (its
 * keys, not its content) and throws an `UnsupportedEventError`, so that a misrouted event
 * fails its invocation clearly instead of reaching the app. To answer other events (an SQS
 * queue, a schedule), handle them here before the HTTP path, or better, in a function of their own.
 */
export function assertHttpEvent(event: unknown): HttpEvent {
  if (httpEventSource(event)) return event as HttpEvent;
  const error = new UnsupportedEventError(describeEvent(event));
  logger.error('Unsupported event', { received: error.received, accepted: ACCEPTED_EVENTS });
  throw error;
}
