import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../src/package-info';
import { compareVersions, majorOf } from '../../src/upgrade/versions';

/** One release of the package: its version and the commit its tarball was built from. */
export interface Release {
  readonly version: string;
  readonly commit: string;
}

const RELEASES_FILE = path.join(PACKAGE_ROOT, 'releases', 'releases.json');

/** Every recorded release, oldest first. */
export const RELEASES: ReadonlyArray<Release> = Object.entries(JSON.parse(fs.readFileSync(RELEASES_FILE, 'utf8')) as Record<string, string>)
  .filter(([version]) => version !== '//')
  .map(([version, commit]) => {
    if (!/^\d+\.\d+\.\d+/.test(version)) throw new Error(`${RELEASES_FILE}: "${version}" is not a major.minor.patch version.`);
    if (!/^[0-9a-f]{40}$/.test(commit)) {
      throw new Error(`${RELEASES_FILE}: release ${version} must name a full 40-character commit sha, got "${commit}".`);
    }
    return { version, commit };
  })
  .sort((a, b) => compareVersions(a.version, b.version));

/**
 * The releases a service may be upgraded from to this checkout: same major, strictly older
 * (this checkout is the newest version, even before its own release is recorded).
 */
export function earlierReleases(): ReadonlyArray<Release> {
  return RELEASES.filter((r) => majorOf(r.version) === majorOf(PACKAGE_VERSION) && compareVersions(r.version, PACKAGE_VERSION) < 0);
}
