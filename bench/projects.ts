/** Figures 4 and 5: creating, synthesizing and `cdk synth` of a service against plain projen projects. */
import * as fs from 'fs';
import * as path from 'path';
import { median } from './stats';
import { createService, REPO_ROOT, run } from '../test/e2e/service-factory';

const PROJEN = path.join(REPO_ROOT, 'node_modules', '.bin', 'projen');

/** The one-stage variant of figure 4: the README's single production stage. */
export const ONE_STAGE = "stages: [{ name: 'prod', account: '444444444444', manualApproval: true }],";

/** Seconds of `projen new` and of the first `npx projen build`. */
export interface CreationTiming {
  readonly projenNew: number;
  readonly firstBuild: number;
}

/** A plain `projen new awscdk-app-ts` project in `dir`, then its first build. */
export function createPlainApp(dir: string): CreationTiming {
  fs.mkdirSync(dir, { recursive: true });
  const projenNew = run(PROJEN, ['new', 'awscdk-app-ts', '--no-git'], dir);
  const firstBuild = run('npx', ['projen', 'build'], dir);
  return { projenNew, firstBuild };
}

export interface Creation {
  /** The first service and plain project created, kept for the other figures. */
  readonly serviceDir: string;
  readonly plainDir: string;
  readonly service: CreationTiming[];
  readonly plain: CreationTiming[];
}

/**
 * Figure 5: `projen new --from` the packed package + first build, against `projen new awscdk-app-ts`
 * + first build, `runs` times each, alternating which goes first (npm's cache warms as it goes).
 * Every run but the first of each is deleted as soon as it is timed.
 */
export function measureCreation(workDir: string, tarball: string, runs: number, progress: (line: string) => void): Creation {
  const service: CreationTiming[] = [];
  const plain: CreationTiming[] = [];
  const serviceDirOf = (i: number) => path.join(workDir, `service-${i + 1}`, 'orders');
  const plainDirOf = (i: number) => path.join(workDir, `plain-${i + 1}`, 'plain');
  for (let i = 0; i < runs; i++) {
    const steps: Array<() => void> = [
      () => {
        const created = createService(serviceDirOf(i), tarball, { build: true });
        const times = { projenNew: created.projenNew, firstBuild: created.firstBuild! };
        service.push(times);
        progress(`service ${i + 1}/${runs}: projen new ${times.projenNew.toFixed(1)} s + first build ${times.firstBuild.toFixed(1)} s`);
      },
      () => {
        const times = createPlainApp(plainDirOf(i));
        plain.push(times);
        progress(`awscdk-app-ts ${i + 1}/${runs}: projen new ${times.projenNew.toFixed(1)} s + first build ${times.firstBuild.toFixed(1)} s`);
      },
    ];
    if (i % 2 === 1) steps.reverse();
    steps.forEach((step) => step());
    if (i > 0) {
      fs.rmSync(path.dirname(serviceDirOf(i)), { recursive: true, force: true });
      fs.rmSync(path.dirname(plainDirOf(i)), { recursive: true, force: true });
    }
  }
  return { serviceDir: serviceDirOf(0), plainDir: plainDirOf(0), service, plain };
}

/** Median of `runs` timings of `command args` in each folder, interleaved. */
export function timeInterleaved(dirs: Record<string, string>, command: string, args: string[], runs: number): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(dirs).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, dir] of Object.entries(dirs)) samples[name].push(run(command, args, dir));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/**
 * A copy of the service with one stage: everything copied but node_modules (hard-linked: npm
 * replaces files rather than writing into them) and cdk.out, its .projenrc.ts given ONE_STAGE,
 * then `npx projen` to regenerate src/main.generated.ts.
 */
export function oneStageCopy(serviceDir: string, workDir: string): string {
  const copy = path.join(workDir, 'service-one-stage', path.basename(serviceDir));
  const skipped = ['node_modules', 'cdk.out'].map((d) => path.join(serviceDir, d));
  fs.cpSync(serviceDir, copy, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => !skipped.some((d) => src === d || src.startsWith(`${d}${path.sep}`)),
  });
  run('cp', ['-al', path.join(serviceDir, 'node_modules'), path.join(copy, 'node_modules')], workDir);

  const projenrc = path.join(copy, '.projenrc.ts');
  const source = fs.readFileSync(projenrc, 'utf8');
  // A new service's .projenrc.ts lists its stages (one per line, closed at the same indent); older
  // ones set none and took the default three.
  const listed = /^(\s*)stages: \[\n[\s\S]*?^\1\],\n/m;
  const edited = listed.test(source)
    ? source.replace(listed, (_all, indent: string) => `${indent}${ONE_STAGE}\n`)
    : source.replace(/^(\s*)(name: '[^']+',)$/m, `$1$2\n$1${ONE_STAGE}`);
  if (edited === source) throw new Error(`No stages list and no "name: '...'," line in ${projenrc} to set the one-stage option in`);
  fs.writeFileSync(projenrc, edited);
  run('npx', ['projen'], copy);
  return copy;
}

/** The stage assemblies a `cdk synth` left in cdk.out. */
export function stageAssemblies(dir: string): string[] {
  const out = path.join(dir, 'cdk.out');
  return fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.startsWith('assembly-')).sort() : [];
}
