/** Figures 1 and 2 (bundle size, cold init) and where the bundle's bytes and init time go. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import type { CpuShare } from './cpu-share';
import { formatBytes, formatMs, formatPaired, paired, type Paired } from './stats';
import { run, runCapturing, serviceEnv } from '../test/e2e/service-factory';

const PROBES = path.join(__dirname, 'probes');
const FIRST_REQUEST = path.join(PROBES, 'first-request.cjs');

export interface Bundles {
  /** The service's own bundle, as `npx projen bundle` writes it. */
  readonly service: string;
  /** The same handler bundled by a default NodejsFunction. */
  readonly baseline: string;
  /** Seconds `npx projen bundle` took. */
  readonly bundleSeconds: number;
}

/** The esbuild arguments of the service's `bundle:handler.generated` task, without the output file. */
export function serviceEsbuildArgs(serviceDir: string): string[] {
  const tasks = JSON.parse(fs.readFileSync(path.join(serviceDir, '.projen', 'tasks.json'), 'utf8'));
  const step = tasks.tasks['bundle:handler.generated']?.steps?.[0];
  const args: string[] | undefined = step?.execArgs ?? step?.exec?.split(/\s+/);
  if (!args || args[0] !== 'esbuild') throw new Error('Unexpected bundle:handler.generated task in the service: no esbuild command');
  return args.slice(1).filter((arg) => !arg.startsWith('--outfile='));
}

/** Runs the service's own esbuild (its devDependency) in the service folder. */
function esbuild(serviceDir: string, args: string[]): void {
  run(path.join(serviceDir, 'node_modules', '.bin', 'esbuild'), [...args, '--log-level=error'], serviceDir);
}

/** Bundles the service (`npx projen bundle`) and the baseline (a NodejsFunction synthesized in a tiny CDK app). */
export function buildBundles(serviceDir: string, workDir: string): Bundles {
  const bundleSeconds = run('npx', ['projen', 'bundle'], serviceDir);
  const service = path.join(serviceDir, 'assets', 'handler.generated', 'index.js');
  if (!fs.existsSync(service)) throw new Error(`npx projen bundle left no ${service}`);

  const outdir = path.join(workDir, 'nodejs-function.out');
  run('node', [path.join(PROBES, 'nodejs-function-app.cjs'), serviceDir, outdir], serviceDir);
  const assets = fs.readdirSync(outdir).filter((f) => f.startsWith('asset.') && fs.existsSync(path.join(outdir, f, 'index.js')));
  if (assets.length !== 1) throw new Error(`Expected one staged NodejsFunction asset in ${outdir}, found ${assets.length}`);
  return { service, baseline: path.join(outdir, assets[0], 'index.js'), bundleSeconds };
}

/** Bytes of a file. */
export function sizeOf(file: string): number {
  return fs.statSync(file).size;
}

/** Roughly the size of the zip CDK uploads for a code asset folder: every file deflated. */
export function zippedSizeOf(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, f) => sum + zlib.deflateRawSync(fs.readFileSync(path.join(dir, f))).length + 30 + 46 + 2 * f.length, 22);
}

/** The route the cold-start and warm-request probes call: the health route every service answers. */
export const HEALTH_PATH = '/api/v1/health';

/** A bundle to load, the environment variables (such as NODE_OPTIONS) of the process loading it, and more arguments of the probe. */
export interface ColdStartTarget {
  readonly file: string;
  readonly env?: Record<string, string>;
  /** Such as `--code-cache <file>` (probes/first-request.cjs). */
  readonly probeArgs?: readonly string[];
}

/**
 * Figure 2: milliseconds from require() of the bundle to the first REST API response through its
 * handler, in a fresh node (probes/first-request.cjs), `runs` pairs A B A B: drift hits both
 * alike and the ratio is taken pair by pair. `share` runs both at a Lambda-like CPU share.
 */
export function measureColdStart(a: ColdStartTarget, b: ColdStartTarget, runs: number, serviceDir: string, share?: CpuShare): Paired {
  const once = (target: ColdStartTarget) => Number(firstRequest(target, serviceDir, share).get('first-request-ms'));
  once(a); // the first spawns pay for cold file caches
  once(b);
  const samples: { a: number[]; b: number[] } = { a: [], b: [] };
  for (let i = 0; i < runs; i++) {
    samples.a.push(once(a));
    samples.b.push(once(b));
  }
  return paired(samples.a, samples.b);
}

/** One run of probes/first-request.cjs: what it printed, by name (`first-request-ms`, `code-cache-rejected`, `first-response`). */
export function firstRequest({ file, env, probeArgs = [] }: ColdStartTarget, serviceDir: string, share?: CpuShare): Map<string, string> {
  const probe = [FIRST_REQUEST, file, path.join(serviceDir, 'test', 'events'), HEALTH_PATH, ...probeArgs];
  const [command, args] = share ? share.wrap(process.execPath, probe) : [process.execPath, probe];
  const { output } = runCapturing(command, args, serviceDir, serviceEnv(env));
  const printed = new Map([...output.matchAll(/^(first-request-ms|code-cache-rejected|first-response) (.+)$/gm)].map((m) => [m[1], m[2]] as const));
  if (!printed.has('first-request-ms')) throw new Error(`${FIRST_REQUEST} printed no time for ${file}:\n${output.slice(-2000)}`);
  return printed;
}

/** The literal settings of the service's Lambda function (the one with SERVICE_NAME) in the first stage's synthesized template. */
export interface DeployedFunction {
  /** Its literal environment variables, NODE_OPTIONS among them. */
  readonly environment: Record<string, string>;
  /** MemorySize, MB (Lambda's default, 128, when the template sets none). */
  readonly memorySize: number;
  /** Runtime and architecture, as Lambda runs it: `nodejs24.x arm64`. */
  readonly platform: string;
}

/** The service's function as the first stage's template deploys it; undefined when none is found. */
export function deployedFunction(serviceDir: string): DeployedFunction | undefined {
  const out = path.join(serviceDir, 'cdk.out');
  const assembly = fs.readdirSync(out).filter((f) => f.startsWith('assembly-')).sort()[0];
  if (!assembly) return undefined;
  for (const file of fs.readdirSync(path.join(out, assembly)).filter((f) => f.endsWith('.template.json'))) {
    const resources: Record<string, { Type: string; Properties?: any }> = JSON.parse(fs.readFileSync(path.join(out, assembly, file), 'utf8')).Resources;
    for (const resource of Object.values(resources)) {
      const properties = resource.Type === 'AWS::Lambda::Function' ? resource.Properties : undefined;
      const variables = properties?.Environment?.Variables;
      if (variables?.SERVICE_NAME === undefined) continue;
      return {
        environment: Object.fromEntries(Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
        memorySize: typeof properties.MemorySize === 'number' ? properties.MemorySize : 128,
        platform: `${properties.Runtime ?? '?'} ${(properties.Architectures ?? ['x86_64']).join(',')}`,
      };
    }
  }
  return undefined;
}

type MetafileInputs = Record<string, { bytesInOutput: number }>;

/** The inputs of the JavaScript output of an esbuild metafile (the source map output has none). */
function metafileInputs(metafile: string): MetafileInputs {
  const meta = JSON.parse(fs.readFileSync(metafile, 'utf8'));
  return Object.values(meta.outputs as Record<string, { inputs: MetafileInputs }>).find((o) => Object.keys(o.inputs).length > 0)!.inputs;
}

/** Bytes in the output per package. */
function bytesByPackage(inputs: MetafileInputs): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const key = pkg ? pkg[1] : input.startsWith('src/') ? "the service's src/" : input;
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/**
 * Where the service bundle's bytes and cold init go, and what some esbuild options would save.
 * Prints only; nothing here feeds the table. Builds into workDir with the service's own esbuild.
 */
export function analyzeBundle(serviceDir: string, workDir: string, bundles: Bundles, initRuns: number): void {
  const baselineBytes = sizeOf(bundles.baseline);
  const dir = path.join(workDir, 'analysis');
  fs.mkdirSync(dir, { recursive: true });
  const args = serviceEsbuildArgs(serviceDir);
  const log = (line = '') => console.log(`  ${line}`);

  const metafile = path.join(dir, 'meta.json');
  esbuild(serviceDir, [...args, `--outfile=${path.join(dir, 'metafile', 'index.js')}`, `--metafile=${metafile}`]);
  const inputs = metafileInputs(metafile);
  const byPackage = bytesByPackage(inputs);
  const total = byPackage.reduce((sum, [, bytes]) => sum + bytes, 0);
  log(`Bytes of the service bundle by package (esbuild metafile, service flags: ${args.join(' ')}):`);
  for (const [pkg, bytes] of byPackage.slice(0, 10)) log(`  ${formatBytes(bytes).padStart(10)}  ${(100 * bytes / total).toFixed(1).padStart(5)}%  ${pkg}`);
  log('Largest files:');
  for (const [file, { bytesInOutput }] of Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 6)) {
    log(`  ${formatBytes(bytesInOutput).padStart(10)}  ${file}`);
  }

  // What-ifs: the service's flags with one change each: what each of its choices saves, and
  // what more could go. Externals here are upper bounds (the package would have to come from
  // somewhere else).
  const withoutAlias = args.filter((a) => !a.startsWith('--alias:iconv-lite'));
  const variants: Array<[string, string[]]> = [
    ['as the service bundles it', args],
    ['without the iconv-lite alias (iconv-lite and its tables bundled)', withoutAlias],
    ['with the sources in the map (--sources-content=true)', [...args.filter((a) => !a.startsWith('--sources-content')), '--sources-content=true']],
    ['--external:mime-db (upper bound of trimming mime-db)', [...args, '--external:mime-db']],
    ['--main-fields=module,main', [...args, '--main-fields=module,main']],
  ];
  log('What-if esbuild options (index.js, and index.js.map, which ships in the same asset):');
  variants.forEach(([label, variantArgs], i) => {
    const out = path.join(dir, `variant-${i}`, 'index.js');
    esbuild(serviceDir, [...variantArgs, `--outfile=${out}`]);
    if (i === 0 && sizeOf(out) !== sizeOf(bundles.service)) {
      log(`  (note: rebuilding with the task's flags gave ${sizeOf(out)} bytes, npx projen bundle ${sizeOf(bundles.service)})`);
    }
    const map = fs.existsSync(`${out}.map`) ? `  map ${formatBytes(sizeOf(`${out}.map`)).padStart(10)}` : '';
    log(`  ${formatBytes(sizeOf(out)).padStart(10)}  ${(sizeOf(out) / baselineBytes).toFixed(2)}x baseline${map}  ${label}`);
  });

  const withIconv = measureColdStart({ file: path.join(dir, 'variant-1', 'index.js') }, { file: path.join(dir, 'variant-0', 'index.js') }, initRuns, serviceDir);
  log(`Cold init + first request with iconv-lite bundled vs as bundled: ${formatPaired(withIconv, formatMs)}.`);

  measureCodeCacheLever(serviceDir, dir, bundles, initRuns, log);

  // Cold init + first request by package: CPU profiles of an unminified build with a source map.
  const profiled = path.join(dir, 'profiled', 'index.js');
  esbuild(serviceDir, [...args.filter((a) => a !== '--minify' && !a.startsWith('--sourcemap')), '--sourcemap', `--outfile=${profiled}`]);
  const profiles = path.join(dir, 'profiles');
  for (let i = 0; i < 5; i++) {
    run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profiles}`, '--cpu-prof-interval=50', FIRST_REQUEST, profiled, path.join(serviceDir, 'test', 'events'), HEALTH_PATH], serviceDir);
  }
  const rows: Array<{ key: string; ms: number }> = JSON.parse(
    execFileSync(process.execPath, [path.join(PROBES, 'init-profile.cjs'), profiled, profiles], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }));
  log('CPU time of require(bundle) + the first REST request by where it goes (V8 CPU profile of probes/first-request.cjs, unminified build, mean of 5 runs, whole process):');
  for (const row of rows.slice(0, 12)) log(`  ${formatMs(row.ms).padStart(10)}  ${row.key}`);
}

/** A V8 flag that a cache made without flags was not made with (copies of Lambda's Node bootstrap set it from the function's memory). */
const OTHER_V8_FLAGS = '--max-old-space-size=460';

/**
 * The lever that reaches the goal here and is not shipped (README, Performance): the bundle
 * compiled with a V8 code cache made after a first request (probes/code-cache.cjs), with the
 * same node and flags, and under one other V8 flag, which makes V8 reject it.
 */
function measureCodeCacheLever(serviceDir: string, dir: string, bundles: Bundles, runs: number, log: (line?: string) => void): void {
  const cache = path.join(dir, 'index.js.code-cache');
  firstRequest({ file: bundles.service, probeArgs: ['--make-code-cache', cache] }, serviceDir);
  const withCache = { file: bundles.service, probeArgs: ['--code-cache', cache] };
  const rejected = (env?: Record<string, string>) => firstRequest({ ...withCache, env }, serviceDir).get('code-cache-rejected');
  const same = measureColdStart(withCache, { file: bundles.baseline }, runs, serviceDir);
  log(`Cold init + first request with a V8 code cache (${formatBytes(sizeOf(cache))}, made after a first request; rejected: ${rejected()}) vs baseline: ${formatPaired(same, formatMs)}.`);
  const env = { NODE_OPTIONS: OTHER_V8_FLAGS };
  const other = measureColdStart({ ...withCache, env }, { file: bundles.baseline, env }, runs, serviceDir);
  log(`  the same cache under ${OTHER_V8_FLAGS} (rejected: ${rejected(env)}), both sides with it: ${formatPaired(other, formatMs)}.`);
}
