import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationClient, StackStatus, waitUntilStackDeleteComplete } from '@aws-sdk/client-cloudformation';
import { API_URL_OUTPUT, apiUrlOf, DEFAULT_SETTINGS_FILE, loadServiceSettings, readStackOutputs, runAttached } from './service-folder';
import {
  assumedCloudFormation, deletePreview, describeStack, PreviewDeletion, previewStacks,
} from '../constructs/functions/preview-sweeper/sweep';
import { disposableStackName, MAX_PULL_REQUEST_NUMBER, PREVIEW_CONTEXT, previewStageName } from '../settings/preview-names';
import { previewLinkContext } from '../settings/pull-request-events';

const USAGE = 'serverless-service preview deploy|destroy [--pull-request N] [--settings src/service-settings.generated.json]';
export const PREVIEW_USAGE = `       ${USAGE}`;

/** Where `preview deploy` has `cdk deploy` write the preview's outputs (cdk.json's output folder, ignored by git). */
export const PREVIEW_OUTPUTS_FILE = 'cdk.out/preview-outputs.json';

/** What the preview commands reach outside this process; tests give their own. */
export interface PreviewSystem {
  readonly env: NodeJS.ProcessEnv;
  /** The service's folder: where the settings, cdk.json and the outputs file are. */
  readonly cwd: string;
  /** How `destroy` polls for the stack to be gone, in seconds. */
  readonly deleteWait: { readonly minDelay: number; readonly maxDelay: number; readonly maxWaitTime: number };
  /** Runs a command in `cwd`, its output to the build's log; its exit code. */
  run(command: string, args: string[], env: NodeJS.ProcessEnv): number;
}

export const PREVIEW_PROCESS_SYSTEM: PreviewSystem = {
  env: process.env,
  cwd: process.cwd(),
  run: runAttached,
  // Bounded: a deletion stuck on one resource fails the build instead of holding it for CodeBuild's own timeout.
  deleteWait: { minDelay: 10, maxDelay: 30, maxWaitTime: 30 * 60 },
};

/** One pull request's preview, and how the dev account is reached. */
interface Preview {
  readonly serviceName: string;
  readonly number: number;
  readonly stageName: string;
  readonly stackName: string;
  readonly roleArn: string;
  readonly region: string;
}

/**
 * `serverless-service preview deploy|destroy`, run by the pipeline's preview builds in a checkout
 * of the pull request (CODEBUILD_WEBHOOK_TRIGGER `pr/<number>` names it, or --pull-request N).
 * The dev account is reached through the previews' deploy role PREVIEW_DEPLOY_ROLE_ARN, in
 * PREVIEW_REGION. `deploy` deploys `<service>-pr-<number>` unless previews.maxConcurrent others
 * exist, puts its URL on the pull request (PREVIEW_LINK_PROJECT, see `linkPreview`), then runs
 * the acceptance tests against it; `destroy` deletes it and waits until it is
 * gone. Exits with cdk's or the acceptance tests' code, 1 when the cap is reached or a deletion
 * failed, 2 on a usage error or when CloudFormation cannot be asked.
 */
export async function previewCommand(args: string[], system: PreviewSystem = PREVIEW_PROCESS_SYSTEM): Promise<number> {
  const [action, ...options] = args;
  if (action !== 'deploy' && action !== 'destroy') {
    return usage(action === undefined ? 'Say what to do with the preview: deploy or destroy.' : `Unknown preview command "${action}".`);
  }
  let given: string | undefined;
  let settingsFile = DEFAULT_SETTINGS_FILE;
  for (let i = 0; i < options.length; i++) {
    const option = options[i];
    if ((option === '--pull-request' || option === '--settings') && options[i + 1] === undefined) return usage(`${option} needs a value.`);
    if (option === '--pull-request') given = options[++i];
    else if (option === '--settings') settingsFile = options[++i];
    else return usage(`Unknown argument "${option}".`);
  }
  let number: number;
  try {
    number = pullRequestNumber(given, system.env.CODEBUILD_WEBHOOK_TRIGGER);
  } catch (error) {
    return usage((error as Error).message);
  }
  const loaded = loadServiceSettings(settingsFile, system.cwd);
  if ('problem' in loaded) return usage(loaded.problem);
  const { settings } = loaded;
  const required = { PREVIEW_DEPLOY_ROLE_ARN: 'the ARN of the previews\' deploy role in the dev account', PREVIEW_REGION: 'the region previews deploy to' };
  for (const [name, what] of Object.entries(required)) {
    if (!system.env[name]) return usage(`${name} is not set: the pipeline's preview builds set it to ${what}.`);
  }
  const stageName = previewStageName(number);
  const preview: Preview = {
    serviceName: settings.serviceName,
    number,
    stageName,
    stackName: disposableStackName(settings.serviceName, stageName),
    roleArn: system.env.PREVIEW_DEPLOY_ROLE_ARN!,
    region: system.env.PREVIEW_REGION!,
  };
  // Destroying needs no settings but the name: previews turned off since must still go.
  if (action === 'destroy') return destroy(preview, system);
  if (!settings.previews) {
    return usage(`${settings.serviceName} has no previews: no stage has the DEVELOPMENT profile, or previews.enabled is false in .projenrc.ts.`);
  }
  return deploy(preview, settings.previews.maxConcurrent, system);
}

/**
 * The pull request's number: `--pull-request N` when given, else from CodeBuild's webhook trigger,
 * `pr/<number>` for a pull request event. Throws, saying what was wrong, otherwise.
 */
export function pullRequestNumber(given: string | undefined, trigger: string | undefined): number {
  const range = `a pull request number from 1 to ${MAX_PULL_REQUEST_NUMBER}`;
  if (given !== undefined) {
    if (!isPullRequestNumber(given)) throw new Error(`--pull-request must be ${range}, got "${given}".`);
    return Number(given);
  }
  if (trigger === undefined || trigger === '') {
    throw new Error('No pull request: give --pull-request N, or run in a CodeBuild build started by a pull request '
      + '(CODEBUILD_WEBHOOK_TRIGGER, "pr/<number>" in such a build, is not set).');
  }
  const match = /^pr\/(.*)$/.exec(trigger);
  if (!match || !isPullRequestNumber(match[1])) {
    throw new Error(`CODEBUILD_WEBHOOK_TRIGGER is "${trigger}", not "pr/<number>" with ${range}: this build was not started `
      + 'by a pull request event. Start the preview builds only from pull request events, or give --pull-request N.');
  }
  return Number(match[1]);
}

function isPullRequestNumber(value: string): boolean {
  return /^[1-9][0-9]*$/.test(value) && Number(value) <= MAX_PULL_REQUEST_NUMBER;
}

async function deploy(preview: Preview, maxConcurrent: number, system: PreviewSystem): Promise<number> {
  const { serviceName, stageName, stackName } = preview;
  let existing: string[];
  try {
    const client = await cloudFormation(preview, 'deploy');
    // One being deleted is on its way out: it does not hold a place.
    existing = (await previewStacks(client, serviceName))
      .filter((stack) => stack.StackStatus !== StackStatus.DELETE_IN_PROGRESS)
      .map((stack) => stack.StackName!);
  } catch (error) {
    return unreachable(preview, error, 'cloudformation:ListStacks');
  }
  if (!existing.includes(stackName) && existing.length >= maxConcurrent) {
    const stages = existing.map((name) => name.slice(serviceName.length + 1)).sort((a, b) => numberOf(a) - numberOf(b));
    console.error(`Preview not deployed: ${serviceName} already has ${existing.length} previews (${stages.join(', ')}), the most `
      + 'previews.maxConcurrent allows. Close or merge a pull request, or raise previews.maxConcurrent in .projenrc.ts.');
    return 1;
  }

  const outputsFile = path.join(system.cwd, PREVIEW_OUTPUTS_FILE);
  // Never read the URL of an earlier deploy.
  fs.rmSync(outputsFile, { force: true });
  const env = { ...system.env, CDK_DISABLE_CLI_TELEMETRY: 'true' };
  // The app synthesizes only the stage `pr-<n>` with its one stack; `pr-<n>/*` selects the stacks of that stage.
  const deployed = system.run('npx', ['cdk', 'deploy', '-c', `${PREVIEW_CONTEXT}=${stageName}`, '--require-approval', 'never',
    '--outputs-file', PREVIEW_OUTPUTS_FILE, `${stageName}/*`], env);
  if (deployed !== 0) return deployed;

  const url = apiUrlOf(readStackOutputs(outputsFile)[stackName]);
  if (!url) {
    console.error(`cdk deploy wrote no ${API_URL_OUTPUT} output of ${stackName} to ${PREVIEW_OUTPUTS_FILE}: `
      + 'the preview stage\'s stack must be a ServiceStack, whose ApiUrl output is the API\'s URL.');
    return 1;
  }
  console.log(`Preview of pull request ${preview.number}: ${url}`);
  // Before the tests: a preview whose tests fail is the one most worth opening.
  linkPreview(preview, url, system);
  return system.run('npx', ['projen', 'test:acceptance'], { ...env, SERVICE_URL: url });
}

/**
 * Puts the preview's URL on the pull request: starts a build of the pull request's commit in the
 * project PREVIEW_LINK_PROJECT, whose status CodeBuild reports with the name `<service> preview`
 * and, through buildStatusConfigOverride, the URL as its link. Not set on GitLab, whose statuses
 * link only to their build. A link that cannot be made is said, and does not fail the preview:
 * its URL is in this build's log.
 */
function linkPreview(preview: Preview, url: string, system: PreviewSystem): void {
  const project = system.env.PREVIEW_LINK_PROJECT;
  if (!project) return;
  // The commit this build checked out: the status goes on it, not on a later push to the pull request.
  const commit = system.env.CODEBUILD_RESOLVED_SOURCE_VERSION;
  const noLink = 'The pull request shows no link to the preview; its URL is above.';
  if (!commit) {
    console.error(`CODEBUILD_RESOLVED_SOURCE_VERSION is not set, so the commit to link is unknown. ${noLink}`);
    return;
  }
  const started = system.run('aws', ['codebuild', 'start-build', '--project-name', project, '--source-version', commit,
    '--report-build-status-override',
    '--build-status-config-override', JSON.stringify({ context: previewLinkContext(preview.serviceName), targetUrl: url }),
    '--environment-variables-override', JSON.stringify([{ name: 'PREVIEW_URL', value: url, type: 'PLAINTEXT' }]),
    '--query', 'build.id', '--output', 'text'], system.env);
  if (started !== 0) {
    console.error(`Could not start ${project} (aws exited with ${started}). ${noLink} This build's role must be allowed `
      + `codebuild:StartBuild on ${project} (the pipeline stack grants it: deploy it again if it is older than this package).`);
  }
}

async function destroy(preview: Preview, system: PreviewSystem): Promise<number> {
  const { serviceName, stageName, stackName, region } = preview;
  let client: CloudFormationClient;
  let deletion: PreviewDeletion | undefined;
  try {
    client = await cloudFormation(preview, 'destroy');
    deletion = await deletePreview(client, stackName);
  } catch (error) {
    return unreachable(preview, error, 'cloudformation:DescribeStacks and DeleteStack');
  }
  if (!deletion) {
    console.log(`Preview ${stageName} of ${serviceName} does not exist: nothing to destroy.`);
    return 0;
  }
  console.log(deletion.retry
    ? `Deleting ${stackName} (${region}) again: its last deletion failed (${deletion.reason ?? 'no reason given'}).`
    : `Deleting ${stackName} (${region})...`);
  try {
    await waitUntilStackDeleteComplete({ client, ...system.deleteWait }, { StackName: stackName });
  } catch (error) {
    const stack = await describeStack(client, stackName).catch(() => undefined);
    const state = stack ? `${stack.StackStatus}${stack.StackStatusReason ? `: ${stack.StackStatusReason}` : ''}` : (error as Error).message;
    console.error(`Preview ${stageName} of ${serviceName} was not destroyed within ${system.deleteWait.maxWaitTime / 60} minutes `
      + `(${state}). Run this build again to retry, or delete the stack ${stackName} in the CloudFormation console of the dev account; `
      + 'the daily preview sweeper retries failed deletions too.');
    return 1;
  }
  console.log(`Preview ${stageName} of ${serviceName} destroyed.`);
  return 0;
}

function cloudFormation(preview: Preview, action: string): Promise<CloudFormationClient> {
  return assumedCloudFormation(preview.roleArn, preview.region, `${preview.stackName}-${action}`);
}

function numberOf(stageName: string): number {
  return Number(stageName.replace(/^pr-/, ''));
}

function unreachable(preview: Preview, error: unknown, actions: string): number {
  console.error(`Could not reach the previews of ${preview.serviceName} in ${preview.region} through ${preview.roleArn}: `
    + `${(error as Error).name}: ${(error as Error).message}\nThe build's role must be allowed sts:AssumeRole on that role, and that role allowed `
    + `${actions} (the pipeline stack and the preview access stack grant them: deploy both again if they are older than this package).`);
  return 2;
}

function usage(problem: string): number {
  console.error(`${problem}\nUsage: ${USAGE}`);
  return 2;
}
