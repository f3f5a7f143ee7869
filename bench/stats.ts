/** Small statistics and formatting helpers of the benchmark. */

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The p-th percentile (0 < p <= 100) by the nearest-rank method. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** Paired runs of A and B: each side's median, and the median, lowest and highest of the ratios A/B taken pair by pair. */
export interface Paired {
  readonly a: number;
  readonly b: number;
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
  readonly pairs: number;
}

export function paired(a: readonly number[], b: readonly number[]): Paired {
  if (a.length !== b.length) throw new Error(`paired runs of unequal counts: ${a.length} and ${b.length}`);
  const ratios = a.map((value, i) => value / b[i]);
  return { a: median(a), b: median(b), ratio: median(ratios), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios), pairs: a.length };
}

/** "A 12.3 ms vs B 45.6 ms: 0.27x (0.21x to 0.35x, 20 pairs)". */
export function formatPaired(p: Paired, format: (v: number) => string): string {
  return `${format(p.a)} vs ${format(p.b)}: ${p.ratio.toFixed(2)}x (${p.ratioMin.toFixed(2)}x to ${p.ratioMax.toFixed(2)}x, ${p.pairs} pairs)`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function formatMicros(us: number): string {
  return `${us.toFixed(0)} µs`;
}

export function formatSeconds(s: number): string {
  return `${s.toFixed(1)} s`;
}

/** A plain-text table: the first row is the header, every column padded to its widest cell. */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  const line = (row: readonly string[]) => row.map((cell, col) => (cell ?? '').padEnd(widths[col])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
