import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT } from '../package-info';

/** The files this package copies into services: real, type-checked files of the package. */
export const TEMPLATE_DIR = path.join(PACKAGE_ROOT, 'template');

/** The samples of every earlier release, one JSON file each (path -> content), kept for `template:merge`. */
export const RELEASE_SAMPLES_DIR = path.join(PACKAGE_ROOT, 'releases', 'samples');

/** Template files that only serve this package's own checks, or that each service renders from its own settings. */
const NOT_COPIED = new Set(['tsconfig.json', 'src/constants.generated.ts']);

/** What a sample's `{{name}}` placeholders become in one service. */
export interface SampleVariables {
  readonly serviceName: string;
  readonly packageName: string;
}

/**
 * Whether a template file is generated in services (rewritten by every `npx projen`) rather than
 * a sample the service owns. Every release so far names its generated files `*.generated.*`.
 */
export function isGenerated(file: string): boolean {
  return path.posix.basename(file).includes('.generated.');
}

/** Whether a template file is a sample services own: copied to them, and not generated. */
export function isOwnedSample(file: string): boolean {
  return !NOT_COPIED.has(file) && !isGenerated(file);
}

/** Every file of template/ a service receives, as a path relative to the service, sorted. */
export function templateFiles(dir = TEMPLATE_DIR, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => entry.isDirectory()
      ? templateFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`])
    .filter((file) => !NOT_COPIED.has(file));
}

/** A sample as one service receives it. */
export function renderSample(content: string, variables: SampleVariables): string {
  return content.replace(/\{\{serviceName\}\}/g, variables.serviceName).replace(/\{\{packageName\}\}/g, variables.packageName);
}

/** The owned samples of the installed template, rendered for one service. */
export function currentSamples(variables: SampleVariables): Map<string, string> {
  return new Map(templateFiles().filter(isOwnedSample)
    .map((file) => [file, renderSample(fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8'), variables)]));
}

/** The owned samples of an earlier release, rendered for one service; undefined for a version this package does not know. */
export function releaseSamples(version: string, variables: SampleVariables): Map<string, string> | undefined {
  const file = path.join(RELEASE_SAMPLES_DIR, `${version}.json`);
  if (!fs.existsSync(file)) return undefined;
  const samples: Record<string, string> = JSON.parse(fs.readFileSync(file, 'utf8'));
  return new Map(Object.entries(samples).map(([sample, content]) => [sample, renderSample(content, variables)]));
}
