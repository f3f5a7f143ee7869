import * as path from 'path';
import * as shim from '../src/mime-types.generated';

/** The mime-types express requires, as the service's node_modules hold it. */
const expressMimeTypes = require.resolve('mime-types', { paths: [path.dirname(require.resolve('express'))] });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real: typeof shim = require(expressMimeTypes);

// The Lambda bundle swaps mime-types for src/mime-types.generated.ts (esbuild's alias): for every
// question express, accepts, type-is and send ask, the two must answer alike.
const types = [
  'application/json', 'APPLICATION/JSON', ' application/json', 'application/json; charset=latin1', 'application/json ; q=1',
  'application/json;x=y', 'text/html', 'text/plain', 'text/x-unknown', 'image/png', 'application/octet-stream',
  'application/vnd.api+json', 'application/problem+json', 'application/x-www-form-urlencoded', 'multipart/form-data',
];
const names = ['json', 'html', 'txt', '.png', 'file.csv', 'urlencoded', 'unknown-extension', ''];
const odd = [undefined, null, 42, {}] as unknown as string[];

test.each([...types, ...names, ...odd])('contentType, charset, lookup and extension of %p are mime-types\' own', (value) => {
  expect(shim.contentType(value)).toEqual(real.contentType(value));
  expect(shim.charset(value)).toEqual(real.charset(value));
  expect(shim.charsets.lookup(value)).toEqual(real.charsets.lookup(value));
  expect(shim.lookup(value)).toEqual(real.lookup(value));
  expect(shim.extension(value)).toEqual(real.extension(value));
});

test('every charset the shim answers itself is mime-db\'s, through mime-types', () => {
  for (const [type, charset] of Object.entries(shim.KNOWN_CHARSETS)) expect(real.charset(type)).toBe(charset);
});

test('its tables are mime-types\' own', () => {
  expect(shim.types.json).toBe(real.types.json);
  expect(shim.extensions['text/html']).toEqual(real.extensions['text/html']);
  expect(Object.keys(shim.types)).toEqual(Object.keys(real.types));
  expect('png' in shim.types).toBe(true);
});

test('the mime-types it loads by path (src/ and test/ are both a folder below node_modules) is the one express uses', () => {
  expect(require.resolve('../node_modules/mime-types/index.js')).toBe(expressMimeTypes);
});

test('a JSON answer does not load mime-types; a question only it can answer loads it once', () => {
  let loads = 0;
  jest.isolateModules(() => {
    jest.doMock('../node_modules/mime-types/index.js', () => {
      loads++;
      return jest.requireActual(expressMimeTypes);
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fresh: typeof shim = require('../src/mime-types.generated');
    expect(fresh.contentType('application/json')).toBe('application/json; charset=utf-8');
    expect(fresh.charset('application/json; charset=utf-8')).toBe('UTF-8');
    expect(loads).toBe(0);
    expect(fresh.contentType('html')).toBe('text/html; charset=utf-8');
    expect(fresh.lookup('png')).toBe('image/png');
    expect(loads).toBe(1);
  });
});
