/**
 * A Lambda-like CPU share for figure 2: Lambda gives a function CPU in proportion to its memory,
 * one vCPU at 1,769 MB (Lambda developer guide, "Configuring Lambda function memory"), so a
 * 512 MB function runs at about 29% of one core. This machine's way of imposing that, best first.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Memory (MB) at which Lambda gives a function one full vCPU. */
export const MB_PER_VCPU = 1769;

export interface CpuShare {
  /** How the share is imposed, for the output: "cgroup v1 cpu quota 28.9% of one core". */
  readonly description: string;
  /** The command line that runs `command args` at that share. */
  wrap(command: string, args: readonly string[]): [string, string[]];
  /** Undoes whatever the share set up (a cgroup, a busy loop). */
  close(): void;
}

const PERIOD_US = 100_000;

/** A new cgroup of the CPU controller limited to `share` of one core, when this machine lets us make one. */
function cgroupShare(share: number): CpuShare | undefined {
  const name = `serverless-service-bench-${process.pid}`;
  const quota = Math.round(share * PERIOD_US);
  const candidates: Array<{ dir: string; version: string; limit: (dir: string) => void }> = [
    // cgroup v2: a child of the root with the cpu controller enabled
    {
      dir: path.join('/sys/fs/cgroup', name),
      version: 'v2',
      limit: (dir) => fs.writeFileSync(path.join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`),
    },
    // cgroup v1: the cpu hierarchy
    {
      dir: path.join('/sys/fs/cgroup/cpu', name),
      version: 'v1',
      limit: (dir) => {
        fs.writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
        fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quota));
      },
    },
  ];
  for (const { dir, version, limit } of candidates) {
    const v2 = version === 'v2';
    if (v2 && !/\bcpu\b/.test(readOr('/sys/fs/cgroup/cgroup.subtree_control', ''))) continue;
    if (!v2 && !fs.existsSync('/sys/fs/cgroup/cpu/cgroup.procs')) continue;
    try {
      fs.mkdirSync(dir);
    } catch {
      continue;
    }
    try {
      limit(dir);
      const procs = path.join(dir, 'cgroup.procs');
      return {
        description: `cgroup ${version} CPU quota ${quota} us per ${PERIOD_US} us (${(100 * share).toFixed(1)}% of one core)`,
        // The shell moves itself into the cgroup, then becomes the command.
        wrap: (command, args) => ['sh', ['-c', 'echo $$ > "$0" && exec "$@"', procs, command, ...args]],
        close: () => fs.rmdirSync(dir),
      };
    } catch {
      fs.rmdirSync(dir);
    }
  }
  return undefined;
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** `systemd-run --scope -p CPUQuota=`, when a systemd manager answers. */
function systemdShare(share: number): CpuShare | undefined {
  const quota = `CPUQuota=${(100 * share).toFixed(1)}%`;
  const probe = spawnSync('systemd-run', ['--quiet', '--scope', '-p', quota, 'true'], { stdio: 'ignore' });
  if (probe.status !== 0) return undefined;
  return {
    description: `systemd-run --scope -p ${quota}`,
    wrap: (command, args) => ['systemd-run', ['--quiet', '--scope', '-p', quota, command, ...args]],
    close: () => undefined,
  };
}

/** The command on core 0 beside a busy loop on core 0: about half a core, whatever `share` asks. */
function tasksetShare(): CpuShare | undefined {
  if (spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status !== 0) return undefined;
  // Ends by itself when the benchmark is gone (its parent changes) or after an hour.
  const loop = `const parent = process.ppid, end = Date.now() + 3600e3;
    for (let i = 1; ; i++) if (i % 1e6 === 0 && (process.ppid !== parent || Date.now() > end)) process.exit(0);`;
  const busy: ChildProcess = spawn('taskset', ['-c', '0', process.execPath, '-e', loop], { stdio: 'ignore' });
  return {
    description: 'taskset -c 0 beside a busy loop on core 0 (about 50% of one core: no writable cgroup here)',
    wrap: (command, args) => ['taskset', ['-c', '0', command, ...args]],
    close: () => {
      busy.kill('SIGKILL');
    },
  };
}

/** The best CPU share this machine can impose for a function of `memoryMb`, or undefined when none works. */
export function lambdaCpuShare(memoryMb: number): CpuShare | undefined {
  const share = Math.min(1, memoryMb / MB_PER_VCPU);
  return cgroupShare(share) ?? systemdShare(share) ?? tasksetShare();
}
