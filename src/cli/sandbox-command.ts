import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { listSandboxes, SandboxHost } from './sandbox-list';
import { resolveSandboxName, SandboxNameSources } from './sandbox-name';
import { apiUrlOf, DEFAULT_SETTINGS_FILE, loadServiceSettings, readStackOutputs, runAttached } from './service-folder';
import { disposableStackName, SANDBOX_CONTEXT, sandboxStageName } from '../settings/preview-names';

const USAGE = 'serverless-service sandbox deploy|destroy|list|url [--name NAME] [--watch] [--settings src/service-settings.generated.json]';
export const SANDBOX_USAGE = `       ${USAGE}`;

/** Where `cdk deploy` writes the sandbox's outputs, and `url` reads its URL from (cdk.json's output folder, ignored by git). */
export const SANDBOX_OUTPUTS_FILE = 'cdk.out/sandbox-outputs.json';

const ACTIONS = ['deploy', 'destroy', 'list', 'url'];

/** What the sandbox commands reach outside this process; tests give their own. */
export interface SandboxSystem extends SandboxNameSources {
  /** Runs a command with the terminal as its input and output; its exit code. */
  run(command: string, args: string[], env: NodeJS.ProcessEnv): number;
  now(): Date;
}

export const PROCESS_SYSTEM: SandboxSystem = {
  env: process.env,
  gitConfig: (key) => {
    const result = spawnSync('git', ['config', '--get', key], { encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim() || undefined : undefined;
  },
  run: runAttached,
  now: () => new Date(),
};

/** One developer's sandbox of the service. */
interface Sandbox {
  readonly name: string;
  readonly stageName: string;
  readonly stackName: string;
  readonly host: SandboxHost;
}

/**
 * `serverless-service sandbox deploy|destroy|list|url`: a developer's own copy of the service
 * (`<service>-sandbox-<name>`) in the development stage's account and region, deployed and
 * destroyed by the CDK CLI with the developer's credentials (which assume the previews' deploy
 * role there). Exits with cdk's code, 1 when a URL is missing, 2 on a usage error.
 */
export async function sandboxCommand(args: string[], system: SandboxSystem = PROCESS_SYSTEM): Promise<number> {
  const [action, ...options] = args;
  if (!ACTIONS.includes(action)) return usage(action === undefined ? 'Say what to do with the sandbox.' : `Unknown sandbox command "${action}".`);
  let givenName: string | undefined;
  let watch = false;
  let settingsFile = DEFAULT_SETTINGS_FILE;
  for (let i = 0; i < options.length; i++) {
    const option = options[i];
    if ((option === '--name' || option === '--settings') && options[i + 1] === undefined) return usage(`${option} needs a value.`);
    if (option === '--name') givenName = options[++i];
    else if (option === '--settings') settingsFile = options[++i];
    else if (option === '--watch' && action === 'deploy') watch = true;
    else if (option === '--watch') return usage(`--watch is for sandbox deploy only, not sandbox ${action}.`);
    else return usage(`Unknown argument "${option}".`);
  }
  const loaded = loadServiceSettings(settingsFile);
  if ('problem' in loaded) return usage(loaded.problem);
  const { given, settings } = loaded;
  if (!settings.previews) {
    console.error(`${settings.serviceName} has no sandboxes: `
      + (given.previews?.enabled === false
        ? 'previews: { enabled: false } in .projenrc.ts turns them off with the previews of pull requests. Remove it, then run npx projen.'
        : 'they deploy into the account of the stage with the DEVELOPMENT profile, and no stage has it, so previews are off. '
          + 'In .projenrc.ts, give the development stage profile: StageProfile.DEVELOPMENT (previews follow it), then run npx projen.'));
    return 2;
  }
  const { hostStage } = settings.previews;
  const host: SandboxHost = { serviceName: settings.serviceName, stageName: hostStage.name, account: hostStage.account, region: hostStage.region };
  if (action === 'list') return listSandboxes(host, system.now());

  const resolved = resolveSandboxName(givenName, system);
  if ('problem' in resolved) return usage(resolved.problem);
  const stageName = sandboxStageName(resolved.name);
  const sandbox: Sandbox = { name: resolved.name, stageName, stackName: disposableStackName(host.serviceName, stageName), host };
  if (action === 'url') return printUrl(sandbox, false);
  return action === 'deploy' ? deploy(sandbox, watch, system) : destroy(sandbox, system);
}

/**
 * The stacks of the sandbox's stage, by construct path. The app synthesizes only this stage and
 * no top-level stack, so `--all` and no selector (both pick top-level stacks only) would fail.
 */
function selector(sandbox: Sandbox): string {
  return `${sandbox.stageName}/*`;
}

function cdk(sandbox: Sandbox, system: SandboxSystem, args: string[]): number {
  const [command, ...rest] = args;
  return system.run('npx', ['cdk', command, '-c', `${SANDBOX_CONTEXT}=${sandbox.name}`, ...rest, selector(sandbox)],
    { ...system.env, CDK_DISABLE_CLI_TELEMETRY: 'true' });
}

function deploy(sandbox: Sandbox, watch: boolean, system: SandboxSystem): number {
  console.error(`Deploying sandbox ${sandbox.name} of ${sandbox.host.serviceName} as ${sandbox.stackName} ${where(sandbox)}...`);
  const code = cdk(sandbox, system, ['deploy', '--require-approval', 'never', '--outputs-file', SANDBOX_OUTPUTS_FILE]);
  if (code !== 0) return code;
  if (printUrl(sandbox, true) !== 0) return 1;
  if (!watch) return 0;
  // Hotswap alone deploys nothing that is not yet there: the full deploy above comes first.
  console.error('Watching for changes: each one bundles the code again and hotswaps it into the sandbox\'s function (Ctrl-C stops).');
  return cdk(sandbox, system, ['watch', '--hotswap', '--outputs-file', SANDBOX_OUTPUTS_FILE]);
}

function destroy(sandbox: Sandbox, system: SandboxSystem): number {
  console.error(`Destroying sandbox ${sandbox.name} of ${sandbox.host.serviceName} (${sandbox.stackName}, ${where(sandbox)})...`);
  const code = cdk(sandbox, system, ['destroy', '--force']);
  if (code === 0) forgetOutputs(sandbox.stackName);
  return code;
}

/** Prints the sandbox's URL from the outputs file, alone (for `$(...)`) or with what to do next. */
function printUrl(sandbox: Sandbox, withNextSteps: boolean): number {
  const url = apiUrlOf(readStackOutputs(SANDBOX_OUTPUTS_FILE)[sandbox.stackName]);
  if (!url) {
    console.error(`No URL of sandbox ${sandbox.name} (${sandbox.stackName}) in ${SANDBOX_OUTPUTS_FILE}: deploy it first with npx projen sandbox.`);
    return 1;
  }
  if (!withNextSteps) {
    console.log(url);
    return 0;
  }
  console.log(`Sandbox ${sandbox.name} of ${sandbox.host.serviceName}: ${url}`);
  console.log('Run the acceptance tests against it with npx projen sandbox:test; remove it with npx projen sandbox:destroy.');
  return 0;
}

/** A destroyed sandbox's URL must not outlive it. */
function forgetOutputs(stackName: string): void {
  const outputs = readStackOutputs(SANDBOX_OUTPUTS_FILE);
  if (!(stackName in outputs)) return;
  delete outputs[stackName];
  if (Object.keys(outputs).length === 0) fs.rmSync(SANDBOX_OUTPUTS_FILE);
  else fs.writeFileSync(SANDBOX_OUTPUTS_FILE, `${JSON.stringify(outputs, undefined, 2)}\n`);
}

function where(sandbox: Sandbox): string {
  return `in account ${sandbox.host.account}, ${sandbox.host.region}`;
}

function usage(problem: string): number {
  console.error(`${problem}\nUsage: ${USAGE}`);
  return 2;
}
