import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The names conflict markers give each side of a merge. */
export interface MergeLabels {
  readonly ours: string;
  readonly base: string;
  readonly theirs: string;
}

/** The merged text, with conflict markers where both sides changed the same lines. */
export interface MergeOutcome {
  readonly text: string;
  readonly conflicts: number;
}

/** git merge-file reports up to this many conflicts; higher exit codes are its errors (255 is its -1). */
const MAX_CONFLICTS = 127;

/** Generous, so that a large sample never fails on spawnSync's 1 MiB default. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Three-way merges `ours` and `theirs` from their common `base` with `git merge-file`,
 * the merge developers already know, so conflicts look like those of any git merge.
 */
export function mergeText(ours: string, base: string, theirs: string, labels: MergeLabels): MergeOutcome {
  return withTempFiles({ ours, base, theirs }, (dir) => {
    // Forces standard markers: inside a repository, merge-file would follow the user's merge.conflictStyle.
    const result = git(['-c', 'merge.conflictStyle=merge', 'merge-file', '-p',
      '-L', labels.ours, '-L', labels.base, '-L', labels.theirs, 'ours', 'base', 'theirs'], dir, 'git merge-file');
    if (result.status > MAX_CONFLICTS) throw new Error(`"git merge-file" failed: ${describeFailure(result)}`);
    return { text: result.stdout, conflicts: result.status };
  });
}

/**
 * A unified diff of one file, with headers naming `a/<path>` and `b/<path>`; a missing
 * side shows as /dev/null. Empty when nothing changed.
 */
export function unifiedDiff(filePath: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  return withTempFiles({ before: before ?? '', after: after ?? '' }, (dir) => {
    // Explicit prefixes and no external diff, so the user's git config cannot change the output's shape.
    const result = git(['diff', '--no-index', '--no-color', '--no-ext-diff', '--src-prefix=a/', '--dst-prefix=b/',
      before === undefined ? '/dev/null' : 'before', after === undefined ? '/dev/null' : 'after'], dir, 'git diff');
    // --no-index exits 1 when the files differ.
    if (result.status > 1) throw new Error(`"git diff" failed: ${describeFailure(result)}`);
    return renameInHeaders(result.stdout, filePath);
  });
}

/** Replaces the temporary file names in a diff's headers; hunks are left alone, as their lines are the file's. */
function renameInHeaders(diff: string, filePath: string): string {
  const lines = diff.split('\n');
  const firstHunk = lines.findIndex((line) => line.startsWith('@@'));
  const headerEnd = firstHunk === -1 ? lines.length : firstHunk;
  for (let i = 0; i < headerEnd; i++) {
    // A function replacement, so a `$` in the path is taken literally.
    lines[i] = lines[i].replace(/(^|\s)([ab])\/(?:before|after)(?=\s|$)/g, (_, space, side) => `${space}${side}/${filePath}`);
  }
  return lines.join('\n');
}

interface GitResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git, throwing when it could not run or ended abnormally; any exit status is left to the caller. */
function git(args: string[], cwd: string, what: string): GitResult {
  // The environment is passed on purpose: its PATH decides which git runs (or that none is found).
  const result = spawnSync('git', args, { cwd, env: process.env, encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(`Could not run "${what}": git was not found. template:merge needs git on the PATH.`);
  }
  if (result.error) throw new Error(`Could not run "${what}": ${result.error.message}`);
  if (result.status === null || result.status < 0) {
    throw new Error(`"${what}" ended abnormally (${result.signal ?? `status ${result.status}`}): ${result.stderr.trim()}`);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function describeFailure(result: GitResult): string {
  return result.stderr.trim() || `exit status ${result.status}`;
}

/** Writes each text to a file of that name in a fresh temporary folder, which is always removed afterwards. */
function withTempFiles<T>(files: { readonly [name: string]: string }, use: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'template-merge-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, 'utf8');
    return use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
