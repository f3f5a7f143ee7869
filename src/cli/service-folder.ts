// What the commands run in a service's folder share: its settings, `cdk deploy`'s outputs, running a command there.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ResolvedServiceSettings, resolveServiceSettings } from '../settings/resolve';
import { ServiceSettings } from '../settings/service-settings';
import { readServiceSettings, SERVICE_SETTINGS_FILE } from '../settings/settings-file';

/** The settings file `npx projen` writes, relative to the service's folder. */
export const DEFAULT_SETTINGS_FILE = path.join('src', SERVICE_SETTINGS_FILE);

/** The logical id of ServiceStack's `apiUrlOutput`, the API's URL. */
export const API_URL_OUTPUT = 'ApiUrl';

/**
 * The service's settings as given and resolved, from `file` (relative to `cwd`); a problem saying
 * what to do when the file is not there.
 */
export function loadServiceSettings(file: string, cwd: string = process.cwd()):
{ given: ServiceSettings; settings: ResolvedServiceSettings } | { problem: string } {
  const settingsPath = path.resolve(cwd, file);
  if (!fs.existsSync(settingsPath)) {
    return { problem: `${file} does not exist: run this in the service's folder (npx projen writes the file), or give --settings FILE.` };
  }
  const given = readServiceSettings(settingsPath);
  return { given, settings: resolveServiceSettings(given) };
}

/** Each stack's outputs by logical id, under its stack name, as `cdk deploy --outputs-file` writes them; none when there is no file. */
export function readStackOutputs(file: string): Record<string, Record<string, string> | undefined> {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

/** The API's URL among a stack's outputs. */
export function apiUrlOf(outputs: Record<string, string> | undefined): string | undefined {
  if (!outputs) return undefined;
  // A CfnOutput beneath a construct of the stack gets a hash after its id.
  return outputs[API_URL_OUTPUT] ?? Object.entries(outputs).find(([key]) => key.startsWith(API_URL_OUTPUT))?.[1];
}

/** Runs a command with this process's terminal (or build log) as its input and output; its exit code. */
export function runAttached(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.error) console.error(`Could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}
