/** A version's major, minor and patch numbers; a prefix (`^`, `v`) is skipped and a missing part is 0. */
function versionNumbers(version: string): number[] {
  const parts = version.replace(/^[^\d]*/, '').split('.');
  return [0, 1, 2].map((i) => parseInt(parts[i] ?? '', 10) || 0);
}

/** Negative, zero or positive as `a` is older than, as old as, or newer than `b` (pre-release suffixes ignored). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionNumbers(a), versionNumbers(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** A version's major number. */
export function majorOf(version: string): number {
  return versionNumbers(version)[0];
}
