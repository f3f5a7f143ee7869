import * as fs from 'fs';
import * as path from 'path';

/** A dependency installed from the local disk, and where it is declared. */
export interface LocalDependency {
  readonly name: string;
  readonly spec: string;
  readonly file: 'package.json' | 'package-lock.json';
}

const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
const LOCAL = /^(file|link):/;

/**
 * The dependencies of the service in `serviceDir` that come from its machine's disk (`file:` or
 * `link:` in package.json, or resolved so in package-lock.json): no build elsewhere can install them.
 */
export function localDependencies(serviceDir: string): LocalDependency[] {
  const found: LocalDependency[] = [];
  const pkg = JSON.parse(fs.readFileSync(path.join(serviceDir, 'package.json'), 'utf8'));
  for (const section of SECTIONS) {
    for (const [name, spec] of Object.entries<string>(pkg[section] ?? {})) {
      if (LOCAL.test(spec)) found.push({ name, spec, file: 'package.json' });
    }
  }
  const lockFile = path.join(serviceDir, 'package-lock.json');
  if (fs.existsSync(lockFile)) {
    const packages: Record<string, { resolved?: string; link?: boolean }> = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages ?? {};
    for (const [where, entry] of Object.entries(packages)) {
      if (where === '') continue;
      if (entry.link || LOCAL.test(entry.resolved ?? '')) {
        found.push({ name: where.replace(/^.*node_modules\//, ''), spec: entry.resolved ?? 'link', file: 'package-lock.json' });
      }
    }
  }
  return found;
}

/** `serverless-service check-dependencies`: exits 1, naming each one, while a dependency comes from the local disk. */
export function checkDependenciesCommand(serviceDir = process.cwd()): number {
  const local = localDependencies(serviceDir);
  if (local.length === 0) return 0;
  console.error([
    'Refusing to deploy: the pipeline\'s builds install the service\'s dependencies from a registry, and these come from this machine\'s disk:',
    ...local.map((d) => `  - ${d.name} (${d.spec}, in ${d.file})`),
    'Publish them to your registry (packageRegistry in .projenrc.ts), install them from it (npm i -D <name>@<version>),',
    'run npx projen, commit package.json and package-lock.json, then deploy again.',
  ].join('\n'));
  return 1;
}
