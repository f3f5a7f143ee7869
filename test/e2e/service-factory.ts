import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** This checkout. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const PACKAGE: { name: string; version: string } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

/**
 * The environment of every command run in a service, as on a developer's machine: no
 * telemetry, nothing of the jest run that starts it, and no CI variable (with CI set, projen
 * installs with npm ci, which `projen new` cannot: the new service has no lockfile yet; the
 * e2e runs npm ci on the lockfile it wrote, as the pipeline does).
 */
export function serviceEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', npm_config_yes: 'true', ...extra };
  for (const key of Object.keys(env)) {
    if (key.startsWith('JEST_') || key === 'NODE_ENV' || key === 'CI') delete env[key];
  }
  return env;
}

/** What a command printed (stdout, then stderr), and how long it took. */
export interface CommandResult {
  readonly output: string;
  readonly seconds: number;
}

/** Runs a command to completion; throws with the end of its output when it fails. */
export function runCapturing(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = serviceEnv()): CommandResult {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(`"${command} ${args.join(' ')}" failed in ${cwd} (exit ${result.status ?? result.signal}):\n${output.split('\n').slice(-60).join('\n')}`);
  }
  return { output, seconds };
}

/** Runs a command to completion, keeping nothing of its output; returns the seconds taken. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = serviceEnv()): number {
  return runCapturing(command, args, cwd, env).seconds;
}

/** The tarball of this version of the package, as `npx projen package:js` leaves it in dist/js. */
export function packedTarball(): string {
  const dir = path.join(REPO_ROOT, 'dist', 'js');
  const tarballs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz') && f.includes(`@${PACKAGE.version}.`)) : [];
  if (tarballs.length !== 1) {
    throw new Error(`Expected one tarball of version ${PACKAGE.version} in ${dir}, found ${tarballs.length}: run "npx projen compile && npx projen package:js" first.`);
  }
  return path.join(dir, tarballs[0]);
}

/** How long each step of creating a service took, in seconds. */
export interface CreationTimes {
  readonly projenNew: number;
  readonly firstBuild?: number;
  /** What `projen new` printed. */
  readonly newOutput: string;
}

/**
 * Creates a service in `dir` from the packed package, as
 * `npx projen new --from @org/serverless-service` does from the registry.
 * The package is given as `name@file:/absolute/path.tgz`: a bare tarball path would be
 * written verbatim into the service's devDependencies and break its next install.
 */
export function createService(dir: string, tarball: string = packedTarball(), options: { build?: boolean } = {}): CreationTimes {
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length > 0) {
    throw new Error(`${dir} is not empty: give a new or empty folder for the service.`);
  }
  const projen = path.join(REPO_ROOT, 'node_modules', '.bin', 'projen');
  const created = runCapturing(projen, ['new', '--from', `${PACKAGE.name}@file:${path.resolve(tarball)}`, '--no-git'], dir);
  const firstBuild = options.build ? run('npx', ['projen', 'build'], dir) : undefined;
  return { projenNew: created.seconds, firstBuild, newOutput: created.output };
}
