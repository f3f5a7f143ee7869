// Stands in for mime-types in the Lambda bundle (esbuild's alias; tests and `npx projen dev` use
// the real one). Express requires mime-types when it loads, and mime-types then reads all of
// mime-db and builds its lookup tables: a tenth of a cold start, spent before the first request
// although a JSON answer asks only for the charset of application/json. That one is answered
// here from a table whose every entry is mime-db's own (test/mime-types-shim.test.ts); anything
// else loads the real module, at its first use, and asks it.

import { lazyModule } from './lazy-module.generated';

/** The part of mime-types' interface its users call (express, accepts, type-is, send). */
interface MimeTypes {
  charset(type: string): string | false;
  contentType(str: string): string | false;
  extension(type: string): string | false;
  lookup(path: string): string | false;
  extensions: Record<string, string[]>;
  types: Record<string, string>;
}

/** mime-types' charset() of the types a JSON API answers; a type not here is asked of mime-types itself. */
export const KNOWN_CHARSETS: Readonly<Record<string, string | false>> = {
  'application/json': 'UTF-8',
};

let loaded: MimeTypes | undefined;
function mimeTypes(): MimeTypes {
  // A literal path, so that esbuild bundles it; required only when first needed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('../node_modules/mime-types/index.js') as MimeTypes;
  return loaded;
}

/** mime-types' own: the media type before any parameter. */
const EXTRACT_TYPE_REGEXP = /^\s*([^;\s]*)(?:;|\s|$)/;

function knownCharset(type: unknown): string | false | undefined {
  if (typeof type !== 'string') return undefined;
  const match = EXTRACT_TYPE_REGEXP.exec(type);
  const name = match?.[1].toLowerCase();
  return name !== undefined && Object.prototype.hasOwnProperty.call(KNOWN_CHARSETS, name) ? KNOWN_CHARSETS[name] : undefined;
}

export function charset(type: string): string | false {
  const known = knownCharset(type);
  return known !== undefined ? known : mimeTypes().charset(type);
}

export function contentType(str: string): string | false {
  // mime-types' steps for a full type: kept as it is when it names a charset, else given its type's.
  if (typeof str === 'string' && str.includes('/')) {
    if (str.includes('charset')) return str;
    const known = knownCharset(str);
    if (known !== undefined) return known ? `${str}; charset=${known.toLowerCase()}` : str;
  }
  return mimeTypes().contentType(str);
}

export function extension(type: string): string | false {
  return mimeTypes().extension(type);
}

export function lookup(path: string): string | false {
  return mimeTypes().lookup(path);
}

export const charsets = { lookup: charset };

// mime-types' tables, built when first read.
export const extensions = lazyModule(() => mimeTypes().extensions);
export const types = lazyModule(() => mimeTypes().types);
