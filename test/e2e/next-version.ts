import * as fs from 'fs';
import * as path from 'path';
import { run } from './service-factory';

/** One change of the template between two versions, applied to the packed package. */
interface TemplateChange {
  readonly kind: string;
  readonly file: string;
  readonly anchor?: string;
  readonly replacement?: string;
  readonly content?: string;
}

/**
 * The changes version N+1 makes: a new task, a changed buildspec step, a changed pipeline
 * setting (pre-production canary 5 -> 10 minutes, in a construct), and two new sample files.
 */
export const NEXT_VERSION_CHANGES: TemplateChange[] = [
  {
    kind: 'new task',
    file: 'lib/project/serverless-service-project.js',
    anchor: 'new buildspec_1.Buildspec(this);',
    replacement: 'new buildspec_1.Buildspec(this);\n        this.addTask(\'doctor\', { description: \'New in N+1\', exec: \'node --version\' });',
  },
  {
    kind: 'changed buildspec step',
    file: 'lib/project/buildspec.js',
    anchor: 'build: { commands: [...constants_1.BUILD_COMMANDS.build] },',
    replacement: 'build: { commands: [...constants_1.BUILD_COMMANDS.build, \'npx projen doctor\'] },',
  },
  {
    kind: 'changed pipeline setting',
    file: 'lib/settings/stage-defaults.js',
    anchor: 'deploymentStrategy: enums_1.DeploymentStrategy.CANARY_10PERCENT_5MINUTES,',
    replacement: 'deploymentStrategy: enums_1.DeploymentStrategy.CANARY_10PERCENT_10MINUTES,',
  },
  { kind: 'new sample file', file: 'template/docs/RUNBOOK.md', content: '# Runbook\n\nNew in N+1.\n' },
  { kind: 'new sample file', file: 'template/docs/ONCALL.md', content: '# On call\n\nNew in N+1.\n' },
];

/**
 * Makes version N+1 of the package from the tarball of version N: unpacks it, bumps the
 * minor version, applies the template changes and packs it again. Returns the new tarball.
 */
export function packNextVersion(tarball: string, workDir: string): string {
  const unpacked = path.join(workDir, 'next');
  fs.mkdirSync(unpacked, { recursive: true });
  run('tar', ['xzf', tarball, '-C', unpacked], workDir);
  const dir = path.join(unpacked, 'package');

  const pkgFile = path.join(dir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  const [major, minor] = pkg.version.split('.').map(Number);
  pkg.version = `${major}.${minor + 1}.0`;
  fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);

  for (const change of NEXT_VERSION_CHANGES) {
    const file = path.join(dir, change.file);
    if (change.content !== undefined) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, change.content);
      continue;
    }
    const source = fs.readFileSync(file, 'utf8');
    if (!source.includes(change.anchor!)) {
      throw new Error(`Cannot apply "${change.kind}": ${change.file} no longer contains ${change.anchor}. Update NEXT_VERSION_CHANGES.`);
    }
    fs.writeFileSync(file, source.replace(change.anchor!, change.replacement!));
  }

  run('npm', ['pack', '--pack-destination', workDir], dir);
  return path.join(workDir, `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`);
}
