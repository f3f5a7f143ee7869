import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT, run } from './service-factory';

/** One release of the package: its version and the commit its tarball was built from. */
export interface Release {
  readonly version: string;
  readonly commit: string;
}

const RELEASES_FILE = path.join(REPO_ROOT, 'releases', 'releases.json');

/** Tarballs of releases, shared by every test file and kept between runs (one build takes minutes). */
const CACHE_DIR = path.join(REPO_ROOT, '.release-packs');

/** major.minor.patch as numbers; a pre-release suffix is ignored. */
function versionParts(version: string): number[] {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`"${version}" is not a major.minor.patch version.`);
  return match.slice(1, 4).map(Number);
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Every recorded release, oldest first. */
export const RELEASES: ReadonlyArray<Release> = Object.entries(JSON.parse(fs.readFileSync(RELEASES_FILE, 'utf8')) as Record<string, string>)
  .filter(([version]) => version !== '//')
  .map(([version, commit]) => {
    if (!/^[0-9a-f]{40}$/.test(commit)) {
      throw new Error(`${RELEASES_FILE}: release ${version} must name a full 40-character commit sha, got "${commit}".`);
    }
    versionParts(version);
    return { version, commit };
  })
  .sort((a, b) => compareVersions(a.version, b.version));

/**
 * The releases a service may be upgraded from to this checkout: same major, strictly older
 * (this checkout is the newest version, even before its own release is recorded).
 */
export function earlierReleases(): ReadonlyArray<Release> {
  const current: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
  return RELEASES.filter((r) => versionParts(r.version)[0] === versionParts(current)[0] && compareVersions(r.version, current) < 0);
}

/** Runs one step of a build and prints how long it took. */
function step(release: Release, label: string, action: () => unknown): void {
  const started = Date.now();
  const note = action();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`release ${release.version}: ${label}${typeof note === 'string' ? ` (${note})` : ''} ${seconds} s\n`);
}

/**
 * The tarball of a release, built from its commit as `npx projen package:js` built it then.
 * Built once into the cache; later calls (and runs) return the cached file.
 */
export function packRelease(release: Release): string {
  const cached = path.join(CACHE_DIR, `${release.version}-${release.commit.slice(0, 12)}.tgz`);
  if (fs.existsSync(cached)) return cached;

  // A separate clone, so this checkout's working tree, index and node_modules are never touched.
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), `release-${release.version}-`));
  try {
    step(release, 'clone', () => {
      run('git', ['clone', '--quiet', '--no-local', '--no-checkout', REPO_ROOT, clone], REPO_ROOT);
      const found = spawnSync('git', ['-C', clone, 'cat-file', '-e', `${release.commit}^{commit}`]);
      if (found.status !== 0) {
        throw new Error(`Release ${release.version} (commit ${release.commit}) is not in the history of ${REPO_ROOT}. `
          + 'In a shallow clone, run "git fetch --unshallow" (and "git fetch --tags") first.');
      }
      return run('git', ['-C', clone, 'checkout', '--quiet', release.commit], clone);
    });
    step(release, 'install', () => {
      try {
        run('npm', ['ci', '--no-audit', '--no-fund'], clone);
        return 'npm ci';
      } catch {
        // Old lockfiles may lack other platforms' optional binaries, and npm ci refuses them.
        run('npm', ['install', '--no-audit', '--no-fund'], clone);
        return 'npm ci refused the lockfile, used npm install';
      }
    });
    step(release, 'compile', () => run('npx', ['projen', 'compile'], clone));
    step(release, 'package:js', () => run('npx', ['projen', 'package:js'], clone));

    const distDir = path.join(clone, 'dist', 'js');
    const tarballs = fs.readdirSync(distDir).filter((f) => f.endsWith('.tgz'));
    if (tarballs.length !== 1) {
      throw new Error(`Release ${release.version}: expected one tarball in ${distDir}, found ${tarballs.length}.`);
    }
    // Copy under a temporary name, then rename: an interrupted copy never looks like a cache entry.
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    fs.copyFileSync(path.join(distDir, tarballs[0]), partial);
    fs.renameSync(partial, cached);
    return cached;
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }
}
