import * as fs from 'fs';
import * as path from 'path';
import { SampleRecord } from './sample-record';
import { mergeText, unifiedDiff } from './three-way-merge';

export interface TemplateMergeOptions {
  /** The service's root folder. */
  readonly serviceDir: string;
  /** The template version installed now (theirs). */
  readonly currentVersion: string;
  readonly record: SampleRecord;
  /** The owned samples of a template version, rendered for this service (path -> content); undefined when that version's samples are unknown. */
  readonly samplesOf: (version: string) => ReadonlyMap<string, string> | undefined;
  /** Print what would change, write nothing. */
  readonly dryRun?: boolean;
}

export type MergeOutcomeKind = 'up-to-date' | 'updated' | 'merged' | 'conflicted' | 'added' | 'kept-deleted'
| 'not-from-template' | 'removed-from-template' | 'no-base';

export interface FileReport {
  readonly path: string;
  readonly outcome: MergeOutcomeKind;
  /** The version the record held for this path, when it held one. */
  readonly fromVersion?: string;
}

export interface TemplateMergeReport {
  /** One report per sample path of the template or of the record, sorted by path. */
  readonly files: FileReport[];
  /** The record after the merge (what it would be, in a dry run). */
  readonly record: SampleRecord;
  /** Unified diffs of every file changed (or that would change), concatenated. */
  readonly diff: string;
}

/** What the merge decides for one path, before anything is written. */
interface Decision {
  readonly report: FileReport;
  /** The content to write; undefined when the file is left as it is. */
  readonly write?: string;
  /** The version to record for the path; undefined when the path leaves the record. */
  readonly recordAs?: string;
}

interface FilePlan extends Decision {
  /** The file's content before the merge; undefined when absent. */
  readonly ours?: string;
}

/**
 * Brings the improvements of the installed template into the samples a service owns,
 * with a three-way merge from the sample the service last received: lines the team
 * wrote are never lost, and clashing edits become conflict markers for the team to resolve.
 */
export function templateMerge(options: TemplateMergeOptions): TemplateMergeReport {
  const theirs = options.samplesOf(options.currentVersion);
  if (!theirs) {
    throw new Error(`The samples of template version ${options.currentVersion}, the one installed, are unknown: there is nothing to merge from.`);
  }
  const paths = [...new Set([...theirs.keys(), ...Object.keys(options.record.files)])].sort();
  paths.forEach(assertInsideService);

  const merging = { ...options, samplesOf: remembered(options.samplesOf) };
  const plans = paths.map((file): FilePlan => {
    const recorded = Object.hasOwn(options.record.files, file) ? options.record.files[file] : undefined;
    const theirsText = theirs.get(file);
    if (theirsText === undefined) {
      // The team may still use the file; only the record forgets it.
      return { report: fileReport(file, 'removed-from-template', recorded) };
    }
    const ours = readIfPresent(path.join(options.serviceDir, file));
    return { ours, ...decide(file, recorded, ours, theirsText, merging) };
  });

  // Every decision (and every git run) comes before the first write, so a failure leaves no file half-merged.
  const diff = plans.map((plan) => plan.write === undefined ? '' : unifiedDiff(plan.report.path, plan.ours, plan.write)).join('');
  if (!options.dryRun) {
    for (const plan of plans) {
      if (plan.write === undefined) continue;
      const target = path.join(options.serviceDir, plan.report.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, plan.write, 'utf8');
    }
  }

  return {
    files: plans.map((plan) => plan.report),
    record: { files: Object.fromEntries(plans.flatMap(({ report, recordAs }) => recordAs === undefined ? [] : [[report.path, recordAs] as const])) },
    diff,
  };
}

/** The rules of the merge for one sample of the installed template. */
function decide(file: string, recorded: string | undefined, ours: string | undefined, theirs: string,
  options: TemplateMergeOptions): Decision {
  const current = options.currentVersion;
  const report = (outcome: MergeOutcomeKind) => fileReport(file, outcome, recorded);

  if (recorded === undefined) {
    // A file of the team's own at a path the template has just started to use is not ours to change.
    return ours === undefined
      ? { report: report('added'), write: theirs, recordAs: current }
      : { report: report('not-from-template') };
  }
  if (recorded === current) return { report: report('up-to-date'), recordAs: current };
  // Recording the deletion keeps the sample from being offered again by every later merge.
  if (ours === undefined) return { report: report('kept-deleted'), recordAs: current };

  const baseSamples = options.samplesOf(recorded);
  if (!baseSamples) return { report: report('no-base'), recordAs: recorded };
  // A sample the recorded version did not have merges as if it had been added to an empty file.
  const base = baseSamples.get(file) ?? '';

  if (ours === theirs || base === theirs) return { report: report('up-to-date'), recordAs: current };
  if (ours === base) return { report: report('updated'), write: theirs, recordAs: current };
  const merged = mergeText(ours, base, theirs, { ours: `yours (${file})`, base: `template ${recorded}`, theirs: `template ${current}` });
  // Conflict markers already hold the new template's side, so the file counts as merged from it.
  return { report: report(merged.conflicts ? 'conflicted' : 'merged'), write: merged.text, recordAs: current };
}

function fileReport(file: string, outcome: MergeOutcomeKind, fromVersion: string | undefined): FileReport {
  return fromVersion === undefined ? { path: file, outcome } : { path: file, outcome, fromVersion };
}

/** Paths come from the record and the template, and neither may reach outside the service. */
function assertInsideService(file: string): void {
  if (file === '' || path.isAbsolute(file) || path.win32.isAbsolute(file) || file.split(/[\\/]/).includes('..')) {
    throw new Error(`Refusing sample path "${file}": sample paths must be relative to the service folder, without "..".`);
  }
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Asks for each version's samples once, as rendering them may be costly. */
function remembered(samplesOf: (version: string) => ReadonlyMap<string, string> | undefined) {
  const known = new Map<string, ReadonlyMap<string, string> | undefined>();
  return (version: string) => {
    if (!known.has(version)) known.set(version, samplesOf(version));
    return known.get(version);
  };
}
