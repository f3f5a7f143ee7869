import { javascript } from 'projen';
import type { ServerlessServiceProjectOptions } from './options';

/** The value the project type uses for each inherited option it decides itself, and why. */
const DECIDED: Array<{ option: keyof ServerlessServiceProjectOptions; value?: unknown; instead: string }> = [
  { option: 'appEntrypoint', value: 'main.generated.ts', instead: 'the CDK app is the generated src/main.generated.ts; add your own resources and steps in src/extend.ts' },
  { option: 'app', instead: 'cdk.json runs the generated CDK app (src/main.generated.ts); add your own resources and steps in src/extend.ts' },
  { option: 'sampleCode', instead: 'the template\'s sample files are written once and are yours: delete the ones you do not want, they are not written again' },
  { option: 'readme', instead: 'README.md is written once from the template and is yours: edit it directly' },
  { option: 'packageManager', value: javascript.NodePackageManager.NPM, instead: 'the tasks, buildspec.yml and the pipeline install with npm ci' },
  { option: 'srcdir', value: 'src', instead: 'the template, the bundle and the CDK app live in src/' },
  { option: 'testdir', value: 'test', instead: 'the template\'s tests and acceptance tests live in test/' },
  { option: 'cdkout', value: 'cdk.out', instead: 'the pipeline\'s Build and the execution-policy task read the cloud assembly from cdk.out' },
];

/**
 * Options inherited from projen that this project type sets itself or cannot honour: refused,
 * rather than silently overridden. Setting one to the value the type uses is allowed.
 */
export function refusedOptionProblems(options: ServerlessServiceProjectOptions): string[] {
  return DECIDED
    .filter(({ option, value }) => options[option] !== undefined && options[option] !== value)
    .map(({ option, value, instead }) => `'${option}' cannot be set in a serverless service${value === undefined ? '' : ` (it is always ${JSON.stringify(value)})`}: ${instead}. Remove it from .projenrc.ts.`);
}
