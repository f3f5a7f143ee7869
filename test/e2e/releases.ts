import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT, run } from './service-factory';
import { Release } from '../helpers/releases';

export { earlierReleases } from '../helpers/releases';
export type { Release } from '../helpers/releases';

/** Tarballs of releases, shared by every test file and kept between runs (one build takes minutes). */
const CACHE_DIR = path.join(REPO_ROOT, '.release-packs');

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
