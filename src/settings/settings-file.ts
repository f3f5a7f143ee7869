import * as fs from 'fs';
import { ServiceSettings } from './service-settings';

/** The settings of `.projenrc.ts` as data, in a service's `src/`, beside the CDK app that reads them. */
export const SERVICE_SETTINGS_FILE = 'service-settings.generated.json';

/** The settings a service's `src/service-settings.generated.json` holds, as given (unchecked). */
export function readServiceSettings(file: string): ServiceSettings {
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  // projen's marker, the one key of a generated JSON file that is not a setting.
  delete settings['//'];
  return settings;
}
