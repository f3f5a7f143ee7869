'use strict';
// A what-if of the bundle analysis, not part of any service: iconv-lite's API as body-parser
// (encodingExists, decode) and raw-body (getDecoder) use it, on Node's own TextDecoder (WHATWG
// encodings through full ICU: utf-8, utf-16le, latin1, shift_jis, gbk, big5, euc-kr...), with
// iconv-lite's error message for an unknown encoding, which raw-body turns into a 415.
function decoderFor(encoding) {
  try {
    return new TextDecoder(String(encoding));
  } catch {
    const searched = String(encoding).toLowerCase().replace(/:\d{4}$|[^0-9a-z]/g, '');
    throw new Error(`Encoding not recognized: '${encoding}' (searched as: '${searched}')`);
  }
}

exports.encodingExists = (encoding) => {
  try {
    decoderFor(encoding);
    return true;
  } catch {
    return false;
  }
};

exports.getDecoder = (encoding) => {
  const decoder = decoderFor(encoding);
  return { write: (buf) => decoder.decode(buf, { stream: true }), end: () => decoder.decode() };
};

exports.decode = (buf, encoding) => decoderFor(encoding).decode(buf);
