/** Figure 3: warm per-request time of the Lambda path (bundled handler) over plain Express on loopback. */
import * as fs from 'fs';
import * as path from 'path';
import { HEALTH_PATH, serviceEsbuildArgs } from './bundles';
import { median, percentile } from './stats';
import { run } from '../test/e2e/service-factory';

const PROBE = path.join(__dirname, 'probes', 'warm-requests.cjs');

export type RequestMode = 'rest' | 'http' | 'express';

export interface WarmFigures {
  /** Per mode: the median over runs of each run's p50 and p99, in µs. */
  readonly p50: Record<RequestMode, number>;
  readonly p99: Record<RequestMode, number>;
  readonly runs: number;
  readonly count: number;
  readonly warmup: number;
}

/**
 * Bundles the service's createApp() with the service's own esbuild flags (so both paths run the
 * same minified Express), then runs each mode `runs` times in fresh processes, interleaved.
 */
export function measureWarmRequests(serviceDir: string, handlerBundle: string, workDir: string,
  options: { runs: number; count: number; warmup: number }): WarmFigures {
  const dir = path.join(workDir, 'warm');
  const appBundle = path.join(dir, 'app', 'index.js');
  run(path.join(serviceDir, 'node_modules', '.bin', 'esbuild'),
    [...serviceEsbuildArgs(serviceDir).map((a) => (a === 'src/handler.generated.ts' ? 'src/app.ts' : a)), `--outfile=${appBundle}`, '--log-level=error'],
    serviceDir);

  const modes: RequestMode[] = ['rest', 'http', 'express'];
  const p50s: Record<RequestMode, number[]> = { rest: [], http: [], express: [] };
  const p99s: Record<RequestMode, number[]> = { rest: [], http: [], express: [] };
  for (let i = 0; i < options.runs; i++) {
    for (const mode of modes) {
      const configFile = path.join(dir, `${mode}-${i}.config.json`);
      const resultFile = path.join(dir, `${mode}-${i}.result.json`);
      fs.writeFileSync(configFile, JSON.stringify({
        mode,
        handlerBundle,
        appBundle,
        eventsDir: path.join(serviceDir, 'test', 'events'),
        path: HEALTH_PATH,
        warmup: options.warmup,
        count: options.count,
      }));
      run(process.execPath, [PROBE, configFile, resultFile], serviceDir);
      const { micros } = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { micros: number[] };
      p50s[mode].push(percentile(micros, 50));
      p99s[mode].push(percentile(micros, 99));
    }
  }
  const med = (values: Record<RequestMode, number[]>) =>
    Object.fromEntries(modes.map((m) => [m, median(values[m])])) as Record<RequestMode, number>;
  return { p50: med(p50s), p99: med(p99s), ...options };
}
