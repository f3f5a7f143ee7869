import * as path from 'path';

// The Lambda bundle swaps semver and qs for src/semver.generated.ts and src/qs.generated.ts
// (esbuild's alias): each must be the very package its importers would get, answer alike, and
// load nothing until it is first asked for something.

/** Where `pkg` resolves from the folder of the file `from` (itself resolved from here, or from `fromDir`). */
const resolvedFrom = (pkg: string, from: string, fromDir?: string) =>
  require.resolve(pkg, { paths: [path.dirname(require.resolve(from, fromDir ? { paths: [fromDir] } : undefined))] });
const tracer = path.dirname(require.resolve('@aws-lambda-powertools/tracer'));

const packages = [{
  name: 'semver',
  file: '../src/semver.generated',
  byPath: '../node_modules/semver/index.js',
  importers: [resolvedFrom('semver', 'aws-xray-sdk-core/dist/lib/patchers/aws_p.js', tracer)],
  calls: [
    ['gte', ['2.7.15', '2.7.15']], ['gte', ['2.6.0', '2.7.15']], ['gte', ['3.0.0-beta.1', '2.7.15']],
    ['satisfies', ['1.2.3', '^1.0.0']], ['valid', ['not a version']], ['compare', ['1.2.3', '1.10.0']],
  ],
}, {
  name: 'qs',
  file: '../src/qs.generated',
  byPath: '../node_modules/qs/lib/index.js',
  importers: [resolvedFrom('qs', 'express/lib/utils.js'), resolvedFrom('qs', 'body-parser/lib/types/urlencoded.js')],
  calls: [
    ['parse', ['a=1&b=x%20y&a=2']], ['parse', ['a[b][c]=1&d[]=2', { depth: 0 }]], ['parse', ['__proto__[x]=1', { allowPrototypes: true }]],
    ['stringify', [{ a: [1, 2], b: { c: 'd e' } }]],
  ],
}] as const;

describe.each(packages)('$name', ({ file, byPath, importers, calls }) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const shim = require(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const real = require(importers[0]);

  test('the package it loads by path (src/ and test/ are both a folder below node_modules) is the one its importers use', () => {
    for (const importer of importers) expect(require.resolve(byPath)).toBe(importer);
  });

  test.each(calls as unknown as Array<[string, unknown[]]>)('%s of %j is the package\'s own answer', (name, args) => {
    expect(shim[name](...args)).toEqual(real[name](...args));
  });

  test('it is the package, property for property', () => {
    expect(Object.keys(shim)).toEqual(Object.keys(real));
    for (const key of Object.keys(real)) expect([key, key in shim, shim[key]]).toEqual([key, true, real[key]]);
  });

  test('requiring it loads nothing; its first use loads the package, once', () => {
    let loads = 0;
    jest.isolateModules(() => {
      jest.doMock(byPath, () => {
        loads++;
        return jest.requireActual(importers[0]);
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require(file);
      expect(loads).toBe(0);
      const [name, args] = calls[0];
      expect(fresh[name](...args)).toEqual(real[name](...args));
      expect(Object.keys(fresh)).toEqual(Object.keys(real));
      expect(loads).toBe(1);
    });
  });
});
