import { decode, encodingExists, getDecoder } from '../src/iconv-lite.generated';

// The Lambda bundle decodes request bodies with src/iconv-lite.generated.ts (Node's TextDecoder)
// in place of iconv-lite; these are the charsets clients send most.
test('decodes utf-8, latin1 and utf-16le bodies', () => {
  expect(decode(Buffer.from('{"city":"Kraków"}', 'utf8'), 'utf-8')).toBe('{"city":"Kraków"}');
  expect(decode(Buffer.from('café', 'latin1'), 'iso-8859-1')).toBe('café');
  expect(decode(Buffer.from('日本', 'utf16le'), 'utf-16le')).toBe('日本');
});

test('decodes a character split across chunks', () => {
  const bytes = Buffer.from('🚀', 'utf8');
  const decoder = getDecoder('utf-8');
  expect(decoder.write(bytes.subarray(0, 2)) + decoder.write(bytes.subarray(2)) + decoder.end()).toBe('🚀');
});

test('refuses an unknown charset with the message Express answers 415 to', () => {
  expect(encodingExists('x-unknown')).toBe(false);
  expect(() => getDecoder('x-unknown')).toThrow(/^Encoding not recognized: 'x-unknown'/);
});
