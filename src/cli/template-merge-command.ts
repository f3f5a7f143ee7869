import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info';
import { readServiceSettings, SERVICE_SETTINGS_FILE } from '../settings/settings-file';
import { readRecord, RECORD_FILE, writeRecord } from '../upgrade/sample-record';
import { FileReport, MergeOutcomeKind, templateMerge } from '../upgrade/template-merge';
import { currentSamples, releaseSamples, SampleVariables } from '../upgrade/template-samples';

/** What each outcome means to the team, as the command prints it. */
const MEANINGS: Record<MergeOutcomeKind, string> = {
  'updated': 'you had not changed it: now the new template\'s',
  'merged': 'your changes and the template\'s, merged',
  'conflicted': 'CONFLICT: both changed the same lines; resolve the markers',
  'added': 'new in the template',
  'kept-deleted': 'you deleted it: stays deleted',
  'not-from-template': 'yours, at a path the template now uses: left as it is',
  'removed-from-template': 'no longer in the template: left as it is (delete it once nothing uses it)',
  'no-base': 'ERROR: the template version it came from is unknown to this package: left as it is',
  'up-to-date': 'up to date',
};

/**
 * `serverless-service template-merge [--dry-run]`, run in a service (`npx projen template:merge`):
 * merges the installed template's improvements into the files the service owns. Exits 1 when a
 * file is left with conflict markers or could not be merged, naming each.
 */
export function templateMergeCommand(args: string[], serviceDir = process.cwd()): number {
  const unknown = args.filter((arg) => arg !== '--dry-run');
  if (unknown.length > 0) throw new Error(`Unknown argument "${unknown[0]}". Usage: npx projen template:merge [--dry-run]`);
  const dryRun = args.includes('--dry-run');

  const record = readRecord(serviceDir);
  if (!record) {
    throw new Error(`${RECORD_FILE} is missing: run npx projen first (it records which template version each of your files came from).`);
  }
  const variables: SampleVariables = { serviceName: serviceNameOf(serviceDir), packageName: PACKAGE_NAME };
  const report = templateMerge({
    serviceDir,
    currentVersion: PACKAGE_VERSION,
    record,
    samplesOf: (version) => (version === PACKAGE_VERSION ? currentSamples(variables) : releaseSamples(version, variables)),
    dryRun,
  });

  const changed = report.files.filter((file) => file.outcome !== 'up-to-date');
  console.log(`${dryRun ? 'Would merge' : 'Merged'} the ${PACKAGE_NAME} ${PACKAGE_VERSION} template into the files this service owns`
    + ` (${report.files.length} files, ${report.files.length - changed.length} up to date).`);
  changed.forEach((file) => console.log(`  ${file.outcome.padEnd(21)} ${file.path}${from(file)}: ${MEANINGS[file.outcome]}`));
  if (dryRun) {
    console.log(report.diff === '' ? 'Nothing would change.' : `\n${report.diff}`);
  } else {
    writeRecord(serviceDir, report.record);
  }

  const failed = report.files.filter((file) => file.outcome === 'conflicted' || file.outcome === 'no-base');
  if (failed.length > 0) {
    console.error(`\n${failed.length} file(s) need you: ${failed.map((file) => file.path).join(', ')}. `
      + 'Resolve the conflict markers (<<<<<<< yours ... >>>>>>> template), then build and commit.');
    return 1;
  }
  return 0;
}

function from(file: FileReport): string {
  return file.fromVersion && file.fromVersion !== PACKAGE_VERSION ? ` (from ${file.fromVersion})` : '';
}

/** The service's name, as its settings (written by `npx projen`) give it. */
function serviceNameOf(serviceDir: string): string {
  const file = path.join(serviceDir, 'src', SERVICE_SETTINGS_FILE);
  if (!fs.existsSync(file)) throw new Error(`src/${SERVICE_SETTINGS_FILE} is missing: run npx projen first.`);
  return readServiceSettings(file).serviceName!;
}
