import * as fs from 'fs';
import * as path from 'path';

/** Which template version each owned sample of a service was last written or merged from. */
export interface SampleRecord {
  readonly files: { readonly [path: string]: string };
}

/** Where a service keeps its record, beside projen's own state. */
export const RECORD_FILE = '.projen/template-samples.json';

/** The CDK app every release generates, and where releases since 0.2.0 name their version. */
const APP_FILE = 'src/main.generated.ts';
const VERSION_MARKER = /^\/\/ Template: \S+ (\d+\.\d+\.\d+)\.$/m;

/** The only release whose generated CDK app names no version. */
const UNMARKED_RELEASE = '0.1.0';

/** The record of the service in `serviceDir`, or undefined when it has none yet. */
export function readRecord(serviceDir: string): SampleRecord | undefined {
  const file = path.join(serviceDir, RECORD_FILE);
  if (!fs.existsSync(file)) return undefined;
  const { files } = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { files: files ?? {} };
}

/** Writes the record, paths sorted, so that it changes only when a sample does. */
export function writeRecord(serviceDir: string, record: SampleRecord): void {
  const files = Object.fromEntries(Object.entries(record.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const json = {
    '//': 'The template version each file this service owns was last written or merged from. npx projen and npx projen template:merge keep it; commit it.',
    files,
  };
  fs.mkdirSync(path.dirname(path.join(serviceDir, RECORD_FILE)), { recursive: true });
  fs.writeFileSync(path.join(serviceDir, RECORD_FILE), `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * The template version a service without a record was generated from, read from its generated
 * CDK app before this version rewrites it: services created before records existed (0.1.0 to
 * 0.3.0). Undefined for a service being created (it has no app yet).
 */
export function previousTemplateVersion(serviceDir: string): string | undefined {
  const file = path.join(serviceDir, APP_FILE);
  if (!fs.existsSync(file)) return undefined;
  return VERSION_MARKER.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? UNMARKED_RELEASE;
}
