/**
 * Benchmarks a service created from this package against baselines built in the same run, and
 * prints the figures as ratios. It only prints: no figure ever fails the run.
 *
 *   npx projen bench [--quick] [--keep] [--repack]
 *
 *   --quick   one run (instead of 3) of the slow figures: creating projects, npx projen, cdk synth
 *   --keep    keep the temporary folder (services, baselines, bundles) for a closer look
 *   --repack  build and pack this package first even if dist/js has a tarball of this version
 *
 * Everything happens in a new folder under the OS temp folder, deleted at the end. Network: only
 * the npm registry (installs of the created projects) and loopback (figure 3).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeBundle, buildBundles, deployedFunction, HEALTH_PATH, measureColdStart, sizeOf, zippedSizeOf } from './bundles';
import { lambdaCpuShare } from './cpu-share';
import { pipelineFigures } from './pipeline';
import { measureCreation, ONE_STAGE, oneStageCopy, stageAssemblies, timeInterleaved } from './projects';
import { measureWarmRequests } from './requests';
import { formatBytes, formatMicros, formatMs, formatPaired, formatSeconds, median, type Paired, renderTable } from './stats';
import { packedTarball, REPO_ROOT, run } from '../test/e2e/service-factory';

const USAGE = 'Usage: npx projen bench [--quick] [--keep] [--repack]';
const flags = new Set(process.argv.slice(2));
for (const flag of flags) {
  if (!['--quick', '--keep', '--repack'].includes(flag)) {
    console.error(`Unknown option ${flag}\n${USAGE}`);
    process.exit(1);
  }
}
const quick = flags.has('--quick');

/** How many runs of each figure (medians are taken over these). */
const N = {
  creation: quick ? 1 : 3,
  synth: quick ? 1 : 3,
  coldStartPairs: 20,
  warmRuns: quick ? 3 : 5,
  warmRequests: 2000,
  warmup: 500,
};

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly goal: string;
  readonly meets: string;
}
const rows: Row[] = [];

/**
 * A row comparing a measured value to its baseline; `goal` is the largest acceptable ratio, and
 * `ratio` (of paired runs: the median of the pairs' ratios) defaults to value / baseline.
 */
function compare(figure: string, value: number, baseline: number, format: (v: number) => string, goal?: number, ratio = value / baseline): void {
  rows.push({
    figure,
    value: format(value),
    baseline: format(baseline),
    ratio: `${ratio.toFixed(2)}x`,
    goal: goal === undefined ? '-' : `<= ${goal.toFixed(2)}x`,
    meets: goal === undefined ? '-' : ratio <= goal ? 'yes' : 'no',
  });
}

/** A row of paired runs: the medians of A and B, and the median of the ratios taken pair by pair. */
function comparePaired(figure: string, p: Paired, format: (v: number) => string, goal?: number): void {
  compare(figure, p.a, p.b, format, goal, p.ratio);
}

/** A row with a value and no baseline. */
function fact(figure: string, value: string): void {
  rows.push({ figure, value, baseline: '-', ratio: '-', goal: '-', meets: '-' });
}

const started = Date.now();
const loadAtStart = os.loadavg()[0];
const elapsed = () => {
  const s = Math.round((Date.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
let maxLoad = os.loadavg()[0];
const say = (line: string) => {
  maxLoad = Math.max(maxLoad, os.loadavg()[0]);
  console.log(`[${elapsed()}] ${line}`);
};
const detail = (line: string) => console.log(`  ${line}`);

function newestFileTime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestFileTime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The packed package: the one in dist/js, or a fresh one when there is none (or with --repack). */
function ensureTarball(): string {
  if (!flags.has('--repack')) {
    try {
      const tarball = packedTarball();
      const sourcesTime = Math.max(newestFileTime(path.join(REPO_ROOT, 'src')), newestFileTime(path.join(REPO_ROOT, 'template')));
      if (sourcesTime > fs.statSync(tarball).mtimeMs) {
        say(`note: src/ or template/ changed after ${path.basename(tarball)} was packed: add --repack to measure the current sources.`);
      }
      return tarball;
    } catch {
      // none yet: build it below
    }
  }
  say('Building and packing this package (npx projen compile && npx projen package:js)...');
  run('npx', ['projen', 'compile'], REPO_ROOT);
  run('npx', ['projen', 'package:js'], REPO_ROOT);
  return packedTarball();
}

function versionIn(dir: string, pkg: string): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

function main(workDir: string): void {
  const tarball = ensureTarball();
  say(`Package: ${path.relative(REPO_ROOT, tarball)}. Work folder: ${workDir}${flags.has('--keep') ? ' (kept)' : ' (deleted at the end)'}`);

  // 5. Creating: also makes the service and the plain project every other figure uses.
  say(`5. Creating a service and a plain awscdk-app-ts project, each with its first build (n=${N.creation}, a few minutes each)...`);
  const creation = measureCreation(workDir, tarball, N.creation, detail);
  const { serviceDir, plainDir } = creation;
  const total = (t: { projenNew: number; firstBuild: number }) => t.projenNew + t.firstBuild;
  const createdCompared = (label: string, pick: (t: { projenNew: number; firstBuild: number }) => number, goal?: number) =>
    compare(`5 ${label} (s, n=${N.creation})`, median(creation.service.map(pick)), median(creation.plain.map(pick)), formatSeconds, goal);

  // 6. Pipeline, from the first build's synth.
  say('6. Reading the synthesized pipeline (cdk.out/orders-pipeline.template.json)...');
  const pipeline = pipelineFigures(path.join(serviceDir, 'cdk.out', 'orders-pipeline.template.json'));

  // 1. Bundle size.
  say('1. Bundling: npx projen bundle in the service, and a default NodejsFunction (synthesized, local esbuild)...');
  const bundles = buildBundles(serviceDir, workDir);
  const serviceBytes = sizeOf(bundles.service);
  const baselineBytes = sizeOf(bundles.baseline);
  detail(`service  ${bundles.service}: ${formatBytes(serviceBytes)} (+ ${formatBytes(sizeOf(`${bundles.service}.map`))} source map in the same asset folder)`);
  detail(`baseline ${bundles.baseline}: ${formatBytes(baselineBytes)}`);
  detail(`npx projen bundle took ${formatSeconds(bundles.bundleSeconds)}`);

  // 2. Cold init + first request, paired with the baseline: plain; as deployed, with the literal
  // environment of the service's function (its NODE_OPTIONS=--enable-source-maps makes node read
  // the bundle's source map; a default NodejsFunction sets no NODE_OPTIONS); and as deployed at the
  // CPU share Lambda gives the function's memory.
  say(`2. Cold init + first request: fresh node processes require each bundle and send one REST API event (GET ${HEALTH_PATH}), ${N.coldStartPairs} pairs each, A B A B...`);
  const deployed = deployedFunction(serviceDir);
  const service = { file: bundles.service };
  const baseline = { file: bundles.baseline };
  const asDeployed = deployed ? { file: bundles.service, env: deployed.environment } : service;
  if (deployed) detail(`the function runs on ${deployed.platform} with ${deployed.memorySize} MB; these runs on Node ${process.version} ${process.arch}`);
  const cold = measureColdStart(service, baseline, N.coldStartPairs, serviceDir);
  detail(`service vs baseline: ${formatPaired(cold, formatMs)}`);
  const coldDeployed = deployed ? measureColdStart(asDeployed, baseline, N.coldStartPairs, serviceDir) : undefined;
  if (deployed && coldDeployed) {
    detail(`service with its function's environment (NODE_OPTIONS=${deployed.environment.NODE_OPTIONS ?? ''}) vs baseline: ${formatPaired(coldDeployed, formatMs)}`);
  }
  const memorySize = deployed?.memorySize ?? 128;
  const share = lambdaCpuShare(memorySize);
  let coldShared: Paired | undefined;
  if (share) {
    try {
      coldShared = measureColdStart(asDeployed, baseline, N.coldStartPairs, serviceDir, share);
    } finally {
      share.close();
    }
    detail(`at ${memorySize} MB's CPU share, ${share.description}: ${formatPaired(coldShared, formatMs)}`);
  } else {
    detail('no way to limit the CPU share on this machine (no writable cgroup, systemd-run or taskset): the CPU-share row is left out');
  }

  say('   Where the bundle\'s bytes and init time go:');
  analyzeBundle(serviceDir, workDir, bundles, N.coldStartPairs);

  // 3. Warm requests.
  say(`3. Warm requests: GET ${HEALTH_PATH}, ${N.warmRequests} per run after ${N.warmup} warm-up, ${N.warmRuns} runs per path...`);
  const warm = measureWarmRequests(serviceDir, bundles.service, workDir, { runs: N.warmRuns, count: N.warmRequests, warmup: N.warmup });
  for (const mode of ['rest', 'http', 'express'] as const) {
    detail(`${mode.padEnd(7)} p50 ${formatMicros(warm.p50[mode])}, p99 ${formatMicros(warm.p99[mode])}`);
  }

  // 4. Synth.
  say(`4. npx projen in the service and in the plain project (n=${N.synth}, interleaved)...`);
  const projenSynth = timeInterleaved({ service: serviceDir, plain: plainDir }, 'npx', ['projen'], N.synth);
  say(`4. cdk synth -q of the service (3 stages) and of a copy with ${ONE_STAGE} (n=${N.synth}, interleaved)...`);
  const oneStage = oneStageCopy(serviceDir, workDir);
  const cdkSynth = timeInterleaved({ three: serviceDir, one: oneStage }, 'npx', ['cdk', 'synth', '-q'], N.synth);
  detail(`stage assemblies: service ${stageAssemblies(serviceDir).join(', ')}; copy ${stageAssemblies(oneStage).join(', ')}`);

  // The table.
  compare('1 bundle index.js vs NodejsFunction defaults', serviceBytes, baselineBytes, formatBytes, 1 / 3);
  compare('1 code asset zipped (index.js + .map) vs NodejsFunction', zippedSizeOf(path.dirname(bundles.service)), zippedSizeOf(path.dirname(bundles.baseline)), formatBytes);
  const coldLabel = `(n=${N.coldStartPairs} pairs)`;
  comparePaired(`2 cold init + first REST request ${coldLabel}`, cold, formatMs, 0.5);
  if (deployed && coldDeployed) {
    comparePaired(`2 the same with the function's env${deployed.environment.NODE_OPTIONS ? ` (NODE_OPTIONS=${deployed.environment.NODE_OPTIONS})` : ''}`, coldDeployed, formatMs, 0.5);
  }
  if (share && coldShared) comparePaired(`2 the same at ${memorySize} MB's CPU share (${share.description.split(' (')[0]})`, coldShared, formatMs, 0.5);
  const warmLabel = `(n=${warm.runs}x${warm.count})`;
  compare(`3 warm REST v1 p50 vs Express loopback ${warmLabel}`, warm.p50.rest, warm.p50.express, formatMicros);
  compare(`3 warm REST v1 p99 vs Express loopback ${warmLabel}`, warm.p99.rest, warm.p99.express, formatMicros);
  compare(`3 warm HTTP v2 p50 vs Express loopback ${warmLabel}`, warm.p50.http, warm.p50.express, formatMicros);
  compare(`3 warm HTTP v2 p99 vs Express loopback ${warmLabel}`, warm.p99.http, warm.p99.express, formatMicros);
  compare(`4 npx projen vs awscdk-app-ts (n=${N.synth})`, projenSynth.service, projenSynth.plain, formatSeconds, 1.2);
  compare(`4 cdk synth -q, 3 stages vs 1 stage (n=${N.synth})`, cdkSynth.three, cdkSynth.one, formatSeconds, 1.3);
  createdCompared('create: projen new + first build', total, 1.2);
  createdCompared('  of which projen new', (t) => t.projenNew);
  createdCompared('  of which first build', (t) => t.firstBuild);
  fact('6 CodeBuild actions per release', `${pipeline.codeBuildActions} (${pipeline.codeBuildByStage.filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ')})`);
  fact('6 asset-publishing actions', `${pipeline.assetActions} (${pipeline.assetPublishCommands} cdk-assets publish commands)`);
  fact('6 CodeBuild projects privileged / Docker', `${pipeline.privilegedOrDocker.length} of ${pipeline.projects}${pipeline.privilegedOrDocker.length ? `: ${pipeline.privilegedOrDocker.join(', ')}` : ''}`);
  fact('6 CodeBuild actions with a full npm install', `${pipeline.fullInstalls.length} (${pipeline.fullInstalls.join(', ')})`);
  fact('6 compute types', Object.entries(pipeline.computeTypes).map(([t, n]) => `${n} x ${t}`).join(', '));

  const cpus = os.cpus();
  console.log(`\nServerless service benchmark (${quick ? 'quick' : 'full'} run, ${elapsed()} min:s)`);
  console.log(`Machine: ${cpus[0]?.model ?? '?'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`);
  maxLoad = Math.max(maxLoad, os.loadavg()[0]);
  console.log(`Load average (1 min): ${loadAtStart.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end, ${maxLoad.toFixed(2)} at most between steps${
    maxLoad > 2 * cpus.length ? ' (over twice the cores: something else was running, so absolute timings are noisy, ratios less so)' : ''}`);
  console.log(`Service: esbuild ${versionIn(serviceDir, 'esbuild')}, aws-cdk-lib ${versionIn(serviceDir, 'aws-cdk-lib')}, projen ${versionIn(serviceDir, 'projen')}; plain awscdk-app-ts: aws-cdk-lib ${versionIn(plainDir, 'aws-cdk-lib')}`);
  console.log('');
  console.log(renderTable([
    ['figure', 'value', 'baseline', 'ratio', 'goal', 'meets?'],
    ...rows.map((r) => [r.figure, r.value, r.baseline, r.ratio, r.goal, r.meets]),
  ]));
  console.log([
    '',
    'Baselines: 1, 2 the same handler (src/handler.generated.ts) bundled by aws-cdk-lib\'s NodejsFunction with default bundling',
    '(nodejs22.x, local esbuild); 3 createApp() behind node:http on 127.0.0.1 (keep-alive client); 4 `projen new awscdk-app-ts`',
    'for npx projen, the same service with one stage for cdk synth; 5 `projen new awscdk-app-ts --no-git` + its first build.',
    'Values are medians of n runs; ratio = value / baseline (for paired runs, 2: the median of the ratios pair by pair).',
    'Figures are printed, never judged: the exit code ignores them.',
  ].join('\n'));
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serverless-service-bench-'));
let failed = false;
try {
  main(workDir);
} catch (error) {
  failed = true;
  console.error(`\nThe benchmark stopped: ${(error as Error).message}`);
} finally {
  if (!flags.has('--keep')) fs.rmSync(workDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
