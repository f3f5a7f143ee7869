import { Project } from 'projen';
import { generatedSource } from './generated-source';

/** Where a service's runtime code finds the settings of `.projenrc.ts` it needs. */
export const RUNTIME_CONSTANTS_FILE = 'src/constants.generated.ts';

/** The settings the service's runtime code needs, as TypeScript. */
function runtimeConstantsLines(settings: { readonly healthPath: string }): string[] {
  return [
    '// The settings of .projenrc.ts that the app\'s own code needs.',
    '',
    '/** The route CodeDeploy\'s pre-traffic hook calls on every new version; the app answers it with 200. */',
    `export const HEALTH_PATH = '${settings.healthPath}';`,
  ];
}

/** Writes `src/constants.generated.ts` into `project` (a service, or this package's template/). */
export function runtimeConstantsFile(project: Project, filePath: string, settings: { readonly healthPath: string }): void {
  generatedSource(project, filePath, runtimeConstantsLines(settings));
}
