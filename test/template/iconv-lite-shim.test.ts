import * as iconv from 'iconv-lite';
import * as shim from '../../template/src/iconv-lite.generated';

// The Lambda bundle swaps iconv-lite for the shim: for what body-parser and raw-body ask of it,
// the two must agree, including the error message raw-body turns into a 415.
const samples: Array<[string, string]> = [
  ['utf-8', '{"name":"Zoë","city":"Kraków","emoji":"🚀"}'],
  ['utf8', 'plain ascii'],
  ['latin1', 'café à la crème'],
  ['iso-8859-1', 'Øresund'],
  ['windows-1252', 'price: 5€ – “quoted”'],
  ['us-ascii', 'plain ascii'],
  ['utf-16le', 'ünïcödé 日本語'],
  ['utf-16be', 'big endian 日本'],
  ['shift_jis', '日本語のテキスト'],
  ['gbk', '中文文本'],
  ['big5', '繁體中文'],
  ['euc-kr', '한국어 텍스트'],
];

test.each(samples)('decodes %s as iconv-lite does, whole and chunk by chunk', (encoding, text) => {
  const bytes = iconv.encode(text, encoding);
  expect(shim.encodingExists(encoding)).toBe(true);
  expect(shim.decode(bytes, encoding)).toBe(iconv.decode(bytes, encoding));

  // One byte at a time: multi-byte characters split across chunks, as raw-body may read them.
  const decoder = shim.getDecoder(encoding);
  let streamed = '';
  for (const byte of bytes) streamed += decoder.write(Buffer.from([byte]));
  streamed += decoder.end();
  expect(streamed).toBe(text);
});

test.each(['latin1', 'ISO-8859-1', 'binary', 'ascii', 'US-ASCII', 'windows-1252', 'cp1252'])('decodes all 256 bytes of %s as iconv-lite does', (encoding) => {
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  expect(shim.decode(everyByte, encoding)).toBe(iconv.decode(everyByte, encoding));
});

test('drops a byte-order mark and replaces invalid bytes, as iconv-lite does', () => {
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
  expect(shim.decode(withBom, 'utf-8')).toBe(iconv.decode(withBom, 'utf-8'));
  const invalid = Buffer.from([0x61, 0xff, 0x62]);
  expect(shim.decode(invalid, 'utf-8')).toBe(iconv.decode(invalid, 'utf-8'));
});

test('refuses an unknown charset with iconv-lite\'s message, which raw-body turns into a 415', () => {
  expect(shim.encodingExists('x-klingon')).toBe(false);
  expect(iconv.encodingExists('x-klingon')).toBe(false);
  const message = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected an error');
  };
  expect(message(() => shim.getDecoder('x-klingon'))).toBe(message(() => iconv.getDecoder('x-klingon')));
  expect(message(() => shim.decode(Buffer.from('a'), 'X-Klingon:2024'))).toBe(message(() => iconv.decode(Buffer.from('a'), 'X-Klingon:2024')));
});
