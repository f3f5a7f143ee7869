import * as fs from 'fs';
import * as path from 'path';
import { Component, InitProject, Project } from 'projen';
import { DEFAULT_REGION, PLACEHOLDER_VALUES, PLACEHOLDERS } from '../settings/constants';
import { DEFAULT_STAGES } from '../settings/resolve';
import { ServiceSettings } from '../settings/service-settings';

const PLACEHOLDER_NOTE = ' // placeholder: set it before npx projen deploy';

/**
 * The settings a new service starts with, as its `.projenrc.ts` shows them: placeholders for
 * what only its team knows, the defaults for the rest.
 */
export function startingSettings(serviceName: string): ServiceSettings {
  return {
    sourceRepository: { owner: PLACEHOLDERS.owner, name: serviceName, branch: 'main', connectionArn: PLACEHOLDERS.connectionArn },
    pipelineAccount: PLACEHOLDERS.pipelineAccount,
    pipelineRegion: DEFAULT_REGION,
    stages: DEFAULT_STAGES,
    notifications: { emailSubscribers: [] },
  };
}

/** The settings a new service's `.projenrc.ts` shows, in this order: those it starts with. */
const SHOWN_SETTINGS = Object.keys(startingSettings('')) as Array<keyof ServiceSettings>;

/**
 * A new service's `.projenrc.ts`, written once by `projen new` in place of projen's own: the
 * options given to `projen new`, `cdkVersion` as the service really uses it, and the service's
 * main settings with their starting values, placeholders marked, and each one's summary.
 */
export class NewProjenrc extends Component {
  constructor(project: Project, private readonly serviceName: string, private readonly cdkVersion: string) {
    super(project);
  }

  /** Runs after projen's own Projenrc component has written the file (it was added first). */
  public projectCreation(init: InitProject): void {
    const options = init.type.options;
    const imports = new Map<string, Set<string>>([[init.type.moduleName, new Set([init.type.typename])]]);
    const given = options
      .filter((option) => init.args[option.name] !== undefined && !(SHOWN_SETTINGS as string[]).includes(option.name))
      .map((option) => {
        const value = option.name === 'cdkVersion' ? this.cdkVersion : init.args[option.name];
        // At run time the options are projen's inventory options, which say what kind of type each one has.
        if ((option as { kind?: string }).kind !== 'enum' || !option.fqn) return `  ${option.name}: ${literal(value)},`;
        // projen's own rendering of an enum given on the command line: Enum.MEMBER, imported from its module.
        const [moduleName, ...names] = option.fqn.split('.');
        imports.set(moduleName, (imports.get(moduleName) ?? new Set()).add(names[0]));
        return `  ${option.name}: ${names.join('.')}.${String(value).toUpperCase().replace(/-/g, '_')},`;
      });

    const starting: Record<string, unknown> = { ...startingSettings(this.serviceName) };
    const shown = SHOWN_SETTINGS.flatMap((name) => {
      const summary = options.find((option) => option.name === name)?.docs;
      return [...summary ? [`  // ${summary}`] : [], ...renderEntry(name, init.args[name] ?? starting[name], '  ')];
    });

    const lines = [
      ...[...imports].map(([moduleName, names]) => `import { ${[...names].sort().join(', ')} } from '${moduleName}';`),
      '',
      `const project = new ${init.type.typename}({`,
      ...given,
      '',
      '  // Where the service comes from and where it is deployed. Replace each placeholder with your own values;',
      '  // npx projen deploy refuses while one is left. The README lists every other setting.',
      ...shown,
      '});',
      '',
      'project.synth();',
      '',
    ];
    fs.writeFileSync(path.join(this.project.outdir, '.projenrc.ts'), lines.join('\n'));
  }
}

/** `name: value,` as TypeScript, objects and arrays of objects over several lines, placeholders marked. */
function renderEntry(name: string, value: unknown, indent: string): string[] {
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name);
  if (Array.isArray(value) && value.some(isObject)) {
    return [`${indent}${key}: [`, ...value.map((item) => `${indent}  ${literal(item)},${notes(item)}`), `${indent}],`];
  }
  if (isObject(value) && Object.keys(value).length > 0) {
    return [`${indent}${key}: {`, ...Object.entries(value).flatMap(([k, v]) => renderEntry(k, v, `${indent}  `)), `${indent}},`];
  }
  return [`${indent}${key}: ${literal(value)},${notes(value)}`];
}

/** A JSON-like value as single-line TypeScript, with single-quoted strings. */
function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${k}: ${literal(v)}`).join(', ')} }`;
  }
  return String(value);
}

function notes(value: unknown): string {
  const placeholder = isObject(value) ? Object.values(value).some((v) => PLACEHOLDER_VALUES.has(v)) : PLACEHOLDER_VALUES.has(value);
  return placeholder ? PLACEHOLDER_NOTE : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
