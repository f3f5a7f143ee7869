import { MAX_SANDBOX_NAME_LENGTH, sandboxNameProblem } from '../settings/preview-names';

/** The environment variable that names a developer's sandbox when --name is not given. */
export const SANDBOX_NAME_VARIABLE = 'SERVICE_SANDBOX';

/** Where the sandbox commands read a name from, besides their own arguments. */
export interface SandboxNameSources {
  readonly env: NodeJS.ProcessEnv;
  /** A git config value, or undefined when it is unset or git cannot be run. */
  gitConfig(key: string): string | undefined;
}

/** The name, or why there is none. */
export type SandboxNameResult = { readonly name: string } | { readonly problem: string };

/**
 * A sandbox name made from free text (an e-mail's local part, a person's name): lower-cased,
 * every run of other characters one hyphen, starting with a letter, at most
 * MAX_SANDBOX_NAME_LENGTH characters; empty when the text holds no letter.
 */
export function sandboxNameFrom(text: string): string {
  return text.toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    // Leading hyphens and digits alike: a name starts with a letter.
    .replace(/^[^a-z]+/, '')
    .slice(0, MAX_SANDBOX_NAME_LENGTH)
    .replace(/-+$/, '');
}

/**
 * The developer's sandbox name: `--name`, else SERVICE_SANDBOX, else made from `git config
 * user.email` (its local part) or `user.name`. A name given explicitly is checked as given, not
 * changed: a typo must not deploy into somebody else's sandbox.
 */
export function resolveSandboxName(given: string | undefined, sources: SandboxNameSources): SandboxNameResult {
  if (given !== undefined) return checked(given, '--name');
  const fromEnv = sources.env[SANDBOX_NAME_VARIABLE];
  if (fromEnv) return checked(fromEnv, `the ${SANDBOX_NAME_VARIABLE} environment variable`);

  const derived: Array<[string, (value: string) => string]> = [
    ['user.email', (email) => email.split('@')[0]],
    ['user.name', (name) => name],
  ];
  for (const [key, part] of derived) {
    const value = sources.gitConfig(key);
    const name = value ? sandboxNameFrom(part(value)) : '';
    if (name) return checked(name, `git config ${key} ("${value}")`);
  }
  return {
    problem: 'No sandbox name: git config has no user.email or user.name to make one from. '
      + `Pass --name NAME or set ${SANDBOX_NAME_VARIABLE}, such as ${SANDBOX_NAME_VARIABLE}=alice `
      + `(1 to ${MAX_SANDBOX_NAME_LENGTH} lower-case letters, digits or hyphens, starting with a letter).`,
  };
}

function checked(name: string, from: string): SandboxNameResult {
  const problem = sandboxNameProblem(name);
  return problem ? { problem: `The sandbox name from ${from} cannot be used. ${problem}` } : { name };
}
