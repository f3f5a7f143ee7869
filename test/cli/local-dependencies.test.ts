import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkDependenciesCommand, localDependencies } from '../../src/cli/local-dependencies';
import { captureConsole } from '../helpers/console-capture';

const errors = captureConsole('error');

/** A service folder with this package.json and, when given, this package-lock.json. */
function service(pkg: object, lock?: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deps-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  if (lock) fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
  return dir;
}

test('a service installed from registries only may deploy', () => {
  const dir = service(
    { dependencies: { express: '^5' }, devDependencies: { '@org/serverless-service': '^0.4.0' } },
    { packages: { '': {}, 'node_modules/@org/serverless-service': { resolved: 'https://npm.example.com/@org/serverless-service/-/serverless-service-0.4.0.tgz' } } },
  );
  expect(checkDependenciesCommand(dir)).toBe(0);
  expect(errors).toEqual([]);
});

test('a dependency on a local tarball is refused, named in package.json and in the lockfile', () => {
  const dir = service(
    { devDependencies: { '@org/serverless-service': 'file:/tmp/serverless-service-0.4.0.tgz' } },
    { packages: { '': {}, 'node_modules/@org/serverless-service': { resolved: 'file:../../tmp/serverless-service-0.4.0.tgz' } } },
  );
  expect(localDependencies(dir)).toEqual([
    { name: '@org/serverless-service', spec: 'file:/tmp/serverless-service-0.4.0.tgz', file: 'package.json' },
    { name: '@org/serverless-service', spec: 'file:../../tmp/serverless-service-0.4.0.tgz', file: 'package-lock.json' },
  ]);
  expect(checkDependenciesCommand(dir)).toBe(1);
  expect(errors.join('\n')).toMatch(/^Refusing to deploy: the pipeline's builds install the service's dependencies from a registry/);
  expect(errors.join('\n')).toContain('  - @org/serverless-service (file:/tmp/serverless-service-0.4.0.tgz, in package.json)');
});

test('a lockfile alone can betray a local package, linked or from a file', () => {
  const dir = service({ dependencies: { shared: '^1.0.0' } }, {
    packages: { '': {}, 'node_modules/shared': { link: true, resolved: '../shared' }, 'node_modules/a/node_modules/b': { resolved: 'file:../b.tgz' } },
  });
  expect(localDependencies(dir).map((d) => `${d.name} ${d.file}`)).toEqual(['shared package-lock.json', 'b package-lock.json']);
});
