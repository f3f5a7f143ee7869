import { parse } from 'content-type';

// Which responses the Lambda handler sends base64-encoded. A Lambda response body is a JSON
// string: bytes survive only as base64, or as text when they are UTF-8. serverless-express
// would base64 only images and compressed bodies, and pass a PDF, application/octet-stream or a
// latin1 text through a UTF-8 decoder that turns their bytes into U+FFFD.

/** Charsets whose bytes are UTF-8 as they are: a body in one of them can travel as a JSON string. */
const UTF8_CHARSETS: ReadonlySet<string> = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** Media types that are text although they are not text/*. */
const TEXT_TYPES: ReadonlySet<string> = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/x-www-form-urlencoded',
  'application/x-ndjson',
  'application/graphql',
  'application/yaml',
]);

/** Structured syntax suffixes of text types: application/problem+json, image/svg+xml... */
const TEXT_SUFFIXES = ['+json', '+xml', '+yaml'];

/**
 * Whether a Content-Type names text that can travel as a JSON string unchanged: a text type
 * (text/*, JSON, XML, JavaScript, form data, and +json/+xml/+yaml types) whose charset is
 * UTF-8 or ASCII, or is not given (then JSON and text are UTF-8 by Express's own defaults).
 */
export function isUtf8Text(contentType: string): boolean {
  const { type, parameters } = parse(contentType);
  const charset = parameters.charset?.toLowerCase();
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) return false;
  return type.startsWith('text/') || TEXT_TYPES.has(type) || TEXT_SUFFIXES.some((suffix) => type.endsWith(suffix));
}

/** A header's value as the handler sees it in a response (Node keeps some as arrays or numbers). */
/** A header's value as Node and serverless-express hold it. */
export type HeaderValue = string | string[] | number | undefined;

/**
 * serverless-express's `binarySettings.isBinary`: whether a response goes back base64-encoded.
 * Everything that is not UTF-8 text by its Content-Type is, and so is any body with a content
 * coding (gzip, br, deflate...), or without a Content-Type. The handler still checks a text body
 * for bytes that are not UTF-8 (src/event-mapping.generated.ts), which a wrong charset would hide.
 */
export function isBinaryResponse({ headers }: { headers: Record<string, HeaderValue> }): boolean {
  const encoding = String(headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') return true;
  const contentType = headers['content-type'];
  return contentType === undefined || !isUtf8Text(String(contentType));
}
