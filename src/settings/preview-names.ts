import { stageRolePath } from './constants';

/**
 * The names of the disposable copies of a service, defined once: a preview per pull request
 * (`<service>-pr-<number>`) and a developer's sandbox (`<service>-sandbox-<name>`). The CDK app,
 * the pipeline's preview projects, the sandbox commands and the IAM policies all derive from them.
 */

/** `cdk synth -c preview=pr-7`: the app synthesizes that preview's stage, and only it. */
export const PREVIEW_CONTEXT = 'preview';

/** `cdk synth -c sandbox=alice`: the app synthesizes that developer's sandbox stage, and only it. */
export const SANDBOX_CONTEXT = 'sandbox';

/** The largest pull-request number whose preview's names are checked to fit every AWS limit (6 digits). */
export const MAX_PULL_REQUEST_NUMBER = 999_999;

/** Longest sandbox name: `<service>-sandbox-<name>` stays within 59 characters for a 30-character service name. */
export const MAX_SANDBOX_NAME_LENGTH = 20;

const PREVIEW_NAME = /^pr-([1-9][0-9]{0,5})$/;
const SANDBOX_NAME = new RegExp(`^[a-z]([a-z0-9-]{0,${MAX_SANDBOX_NAME_LENGTH - 2}}[a-z0-9])?$`);

/** Stage name of the preview of pull request `number`: `pr-<number>`. */
export function previewStageName(pullRequestNumber: number): string {
  if (!Number.isInteger(pullRequestNumber) || pullRequestNumber < 1 || pullRequestNumber > MAX_PULL_REQUEST_NUMBER) {
    throw new Error(`A pull request number must be an integer from 1 to ${MAX_PULL_REQUEST_NUMBER}, got ${pullRequestNumber}.`);
  }
  return `pr-${pullRequestNumber}`;
}

/** Why a `-c preview=` value is not a preview's name, or undefined when it is one. */
export function previewNameProblem(value: string): string | undefined {
  return PREVIEW_NAME.test(value) ? undefined
    : `The ${PREVIEW_CONTEXT} context must be "pr-<number>" with a pull request number from 1 to ${MAX_PULL_REQUEST_NUMBER}, `
      + `such as -c ${PREVIEW_CONTEXT}=pr-7; got "${value}".`;
}

/** Why `name` cannot name a sandbox, or undefined when it can. */
export function sandboxNameProblem(name: string): string | undefined {
  return SANDBOX_NAME.test(name) ? undefined
    : `A sandbox name must be 1 to ${MAX_SANDBOX_NAME_LENGTH} lower-case letters, digits or hyphens, starting with a letter `
      + `and not ending with a hyphen, such as "alice"; got "${name}".`;
}

/** Stage name of a developer's sandbox: `sandbox-<name>`. */
export function sandboxStageName(name: string): string {
  const problem = sandboxNameProblem(name);
  if (problem) throw new Error(problem);
  return `sandbox-${name}`;
}

/** Stack name of a preview or sandbox stage, as of every stage: `<service>-<stage>`. */
export function disposableStackName(serviceName: string, stageName: string): string {
  return `${serviceName}-${stageName}`;
}

/** Prefix of every preview's stack name: `<service>-pr-`. */
export function previewStackPrefix(serviceName: string): string {
  return `${serviceName}-pr-`;
}

/** Prefix of every sandbox's stack name: `<service>-sandbox-`. */
export function sandboxStackPrefix(serviceName: string): string {
  return `${serviceName}-sandbox-`;
}

/**
 * IAM path of the roles of every preview and sandbox: beneath the path of the stage they are
 * copies of (its account's execution policy reaches them), in a segment of their own, the only
 * one their deploy role reaches; each copy has its own segment beneath it.
 */
export function disposableRolePathRoot(serviceName: string, hostStageName: string): string {
  return `${stageRolePath(serviceName, hostStageName)}previews/`;
}

/** IAM path of the roles of one preview or sandbox. */
export function disposableRolePath(serviceName: string, hostStageName: string, stageName: string): string {
  return `${disposableRolePathRoot(serviceName, hostStageName)}${stageName}/`;
}

/** The role previews and sandboxes are deployed with (`cdk deploy` assumes it), in the dev stage's account. */
export function previewDeployRoleName(serviceName: string): string {
  return `${serviceName}-preview-deploy`;
}

/** The role CloudFormation deploys previews and sandboxes with, passed by the deploy role only. */
export function previewExecutionRoleName(serviceName: string): string {
  return `${serviceName}-preview-execution`;
}

/**
 * IAM path of the two roles previews are deployed with: outside every stage's path and outside
 * the previews' own, so that neither a stage's deploy nor a preview's can change them.
 */
export function previewAccessRolePath(serviceName: string): string {
  return `/serverless-service/${serviceName}/preview-access/`;
}

/** ARN of one of the two preview access roles (`previewDeployRoleName`, `previewExecutionRoleName`). */
export function previewAccessRoleArn(partition: string, account: string, serviceName: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role${previewAccessRolePath(serviceName)}${roleName}`;
}

/** Name of the stack holding the preview access roles, deployed once into the dev stage's account. */
export function previewAccessStackName(serviceName: string): string {
  return `${serviceName}-preview-access`;
}

/** `cdk deploy -c previewAccess=true`: the app synthesizes the preview access stack, and only it. */
export const PREVIEW_ACCESS_CONTEXT = 'previewAccess';
