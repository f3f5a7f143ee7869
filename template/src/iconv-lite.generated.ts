// Stands in for iconv-lite in the Lambda bundle (esbuild's alias; tests and `npx projen dev`
// use the real one). Express's body parsers only ask iconv-lite to decode request bodies: Node's
// own TextDecoder decodes the Unicode and multi-byte encodings (utf-8, utf-16, shift_jis, gbk,
// big5, euc-kr...) with its built-in ICU, and the single-byte ones clients send are decoded here
// exactly as iconv-lite does (Node's TextDecoder treats them differently from version to version).
// The bundle so leaves out iconv-lite's character-set tables: more than half of its size.

import { TextDecoder } from 'util';

/** A streaming decoder, as raw-body reads a body chunk by chunk. */
export interface Decoder {
  write(chunk: Buffer): string;
  end(): string;
}

/** iconv-lite's form of an encoding name: lower case, letters and digits only. */
function canonical(encoding: string): string {
  return String(encoding).toLowerCase().replace(/:\d{4}$|[^0-9a-z]/g, '');
}

const LATIN1 = new Set(['latin1', 'l1', 'binary', 'iso88591', 'iso885911987', 'isoir100', 'cp819', 'ibm819', 'csisolatin1']);
const ASCII = new Set(['ascii', 'usascii']);
const WINDOWS_1252 = new Set(['windows1252', 'cp1252', 'win1252']);
/** Windows-1252's characters for bytes 0x80 to 0x9F (iconv-lite's table; U+FFFD where it defines none). */
const WINDOWS_1252_HIGH = '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd'
  + '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

/** The decoder of a single-byte encoding iconv-lite defines itself, or undefined. */
function singleByte(name: string): ((chunk: Buffer) => string) | undefined {
  if (LATIN1.has(name)) return (chunk) => chunk.toString('latin1');
  if (ASCII.has(name)) return (chunk) => chunk.toString('latin1').replace(/[\x80-\xff]/g, '\ufffd');
  if (WINDOWS_1252.has(name)) {
    return (chunk) => chunk.toString('latin1').replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
  }
  return undefined;
}

function textDecoder(encoding: string): TextDecoder {
  try {
    return new TextDecoder(String(encoding));
  } catch {
    // iconv-lite's message: raw-body and body-parser turn it into a 415 naming the charset.
    throw new Error(`Encoding not recognized: '${encoding}' (searched as: '${canonical(encoding)}')`);
  }
}

export function encodingExists(encoding: string): boolean {
  try {
    getDecoder(encoding);
    return true;
  } catch {
    return false;
  }
}

export function getDecoder(encoding: string): Decoder {
  const bytes = singleByte(canonical(encoding));
  if (bytes) return { write: bytes, end: () => '' };
  const decoder = textDecoder(encoding);
  return {
    write: (chunk) => decoder.decode(chunk, { stream: true }),
    end: () => decoder.decode(),
  };
}

export function decode(buffer: Buffer, encoding: string): string {
  const decoder = getDecoder(encoding);
  return decoder.write(buffer) + decoder.end();
}
