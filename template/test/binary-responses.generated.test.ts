import { isBinaryResponse, isUtf8Text } from '../src/binary-responses.generated';

describe('isUtf8Text', () => {
  test.each([
    'text/plain',
    'text/html; charset=utf-8',
    'text/csv; charset=UTF-8',
    'text/plain; charset="us-ascii"',
    'application/json',
    'application/json; charset=utf-8',
    'application/problem+json',
    'application/vnd.api+json; charset=utf-8',
    'application/xml',
    'image/svg+xml',
    'application/javascript; charset=utf-8',
    'application/x-www-form-urlencoded',
    'application/x-ndjson',
  ])('%s is UTF-8 text', (type) => {
    expect(isUtf8Text(type)).toBe(true);
  });

  test.each([
    'application/octet-stream',
    'application/pdf',
    'application/zip',
    'image/png',
    'audio/mpeg',
    'text/plain; charset=latin1',
    'text/csv; charset=windows-1252',
    'text/plain; charset=utf-16le',
    'application/json; charset=utf-16',
    'application/jsonx',
    'not a type',
    '',
  ])('%s is not', (type) => {
    expect(isUtf8Text(type)).toBe(false);
  });
});

describe('isBinaryResponse (serverless-express binarySettings.isBinary)', () => {
  test('sends UTF-8 text as text', () => {
    expect(isBinaryResponse({ headers: { 'content-type': 'application/json; charset=utf-8' } })).toBe(false);
    expect(isBinaryResponse({ headers: { 'content-type': 'text/plain', 'content-encoding': 'identity' } })).toBe(false);
  });

  test('base64-encodes what is not UTF-8 text, compressed bodies, and bodies of unknown type', () => {
    expect(isBinaryResponse({ headers: { 'content-type': 'application/pdf' } })).toBe(true);
    expect(isBinaryResponse({ headers: { 'content-type': 'text/plain; charset=iso-8859-1' } })).toBe(true);
    expect(isBinaryResponse({ headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } })).toBe(true);
    expect(isBinaryResponse({ headers: { 'content-type': 'text/html', 'content-encoding': 'br' } })).toBe(true);
    expect(isBinaryResponse({ headers: {} })).toBe(true);
  });
});
