import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/** The header of the request id on every answer of the app (template/src/request-id.generated.ts). */
const REQUEST_ID_HEADER = 'x-request-id';

/**
 * The security headers helmet sets on every answer of the app, as template/src/service-app.generated.ts
 * configures it: helmet's defaults, with a Content-Security-Policy that allows nothing. A test compares
 * them with a real answer of the template's handler, so that the two cannot drift apart.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none';frame-ancestors 'none'",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'DENY',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

/**
 * Every response type API Gateway answers itself, with the status AWS documents for it. The status
 * is set, the same as API Gateway's, so that the body can state it: gateway response templates
 * have no variable for the status.
 */
const RESPONSE_STATUSES: ReadonlyArray<readonly [apigateway.ResponseType, number]> = [
  [apigateway.ResponseType.ACCESS_DENIED, 403],
  [apigateway.ResponseType.API_CONFIGURATION_ERROR, 500],
  [apigateway.ResponseType.AUTHORIZER_CONFIGURATION_ERROR, 500],
  [apigateway.ResponseType.AUTHORIZER_FAILURE, 500],
  [apigateway.ResponseType.BAD_REQUEST_BODY, 400],
  [apigateway.ResponseType.BAD_REQUEST_PARAMETERS, 400],
  [apigateway.ResponseType.EXPIRED_TOKEN, 403],
  [apigateway.ResponseType.INTEGRATION_FAILURE, 504],
  [apigateway.ResponseType.INTEGRATION_TIMEOUT, 504],
  [apigateway.ResponseType.INVALID_API_KEY, 403],
  [apigateway.ResponseType.INVALID_SIGNATURE, 403],
  [apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, 403],
  [apigateway.ResponseType.QUOTA_EXCEEDED, 429],
  [apigateway.ResponseType.REQUEST_TOO_LARGE, 413],
  [apigateway.ResponseType.RESOURCE_NOT_FOUND, 404],
  [apigateway.ResponseType.THROTTLED, 429],
  [apigateway.ResponseType.UNAUTHORIZED, 401],
  [apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, 415],
  [apigateway.ResponseType.WAF_FILTERED, 403],
];

/**
 * The fallbacks, for a type the list above does not name (one AWS adds later). Their status stays
 * API Gateway's: setting it would change the status of every such type. Their body can only state
 * the status of their class.
 */
const FALLBACK_STATUSES: ReadonlyArray<readonly [apigateway.ResponseType, number]> = [
  [apigateway.ResponseType.DEFAULT_4XX, 400],
  [apigateway.ResponseType.DEFAULT_5XX, 500],
];

/**
 * Makes the errors API Gateway answers itself (throttling, authorization, WAF, request validation,
 * size, integration failures) answer as the app's own do: its JSON error shape with API Gateway's
 * message and request id, its security headers, `x-request-id`, and its CORS headers as far as a
 * fixed header can say them (see `corsHeaders`).
 */
export function addGatewayResponses(api: apigateway.RestApi, corsAllowedOrigins: string[]): void {
  const responseHeaders = gatewayResponseHeaders(corsAllowedOrigins);
  const add = (type: apigateway.ResponseType, status: number, statusCode?: string) => {
    const id = type.responseType.toLowerCase().replace(/(^|_)(.)/g, (_match, _sep, char: string) => char.toUpperCase());
    api.addGatewayResponse(`${id}Response`, {
      type,
      statusCode,
      responseHeaders,
      templates: { 'application/json': errorBodyTemplate(status) },
    });
  };
  for (const [type, status] of FALLBACK_STATUSES) add(type, status);
  for (const [type, status] of RESPONSE_STATUSES) add(type, status, String(status));
}

/**
 * The app's error body, `{ "error": { "status", "message", "requestId" } }`. `$context.error.messageString`
 * is API Gateway's message already quoted (as its own default template uses it); the request id is not.
 */
function errorBodyTemplate(status: number): string {
  return `{"error":{"status":${status},"message":$context.error.messageString,"requestId":"$context.requestId"}}`;
}

/**
 * The headers of every gateway response, as mapping expressions: literals in single quotes, and
 * the request id from `context.requestId`, the id the app takes from a REST API's event.
 */
function gatewayResponseHeaders(corsAllowedOrigins: string[]): Record<string, string> {
  const literals = { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', ...corsHeaders(corsAllowedOrigins) };
  return {
    ...Object.fromEntries(Object.entries(literals).map(([name, value]) => [name, `'${value}'`])),
    [REQUEST_ID_HEADER]: 'context.requestId',
  };
}

/**
 * The CORS headers the app's cors() sets, for the origins its stage allows, as far as a header the
 * same for every caller can say them. Any origin is `*`, as in the app. One origin is named to
 * every caller, where the app names it only to that origin: a browser of another origin refuses
 * the answer either way. Several origins get no Access-Control-Allow-Origin, as the app answers an
 * origin it does not know: API Gateway cannot pick the caller's origin out of a list.
 */
function corsHeaders(allowedOrigins: string[]): Record<string, string> {
  // As the app reads CORS_ALLOWED_ORIGINS (allowedOrigins() in template/src/service-app.generated.ts).
  const origins = allowedOrigins.map((origin) => origin.trim()).filter(Boolean);
  if (origins.length === 0) return {};
  const exposed = { 'Access-Control-Expose-Headers': REQUEST_ID_HEADER };
  if (origins.includes('*')) return { 'Access-Control-Allow-Origin': '*', ...exposed };
  return { ...origins.length === 1 ? { 'Access-Control-Allow-Origin': origins[0] } : {}, Vary: 'Origin', ...exposed };
}
