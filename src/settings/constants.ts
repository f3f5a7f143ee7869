/**
 * The values every part of a service must agree on, defined once: the project type writes them
 * into generated files, the constructs build the pipeline and the functions with them.
 */

/**
 * Node.js major version of every build of a service (the pipeline's CodeBuild steps, its
 * pull-request builds, `buildspec.yml`) and of its `@types/node`: the type-check keeps the code
 * to what this version offers, so it also runs on the newer Lambda runtime.
 */
export const BUILD_NODE_VERSION = '22';

/** Node.js major version of the Lambda runtime of every function (`nodejs24.x`); the service's bundle targets it. */
export const FUNCTION_NODE_VERSION = '24';

/** What every build of a service runs after installing (`installCommands`): the pipeline's Build, and `buildspec.yml` for pull requests. */
export const BUILD_COMMANDS = {
  // A known high or critical vulnerability in what the function ships stops the build.
  preBuild: ['npx projen audit'],
  build: ['npx projen build'],
} as const;

/** The variable a build reads the npm registry's token from (filled from Secrets Manager). */
export const NPM_TOKEN_VARIABLE = 'NPM_TOKEN';

/** The route the pre-traffic hook calls on every new version, unless the service sets `healthPath`. */
export const DEFAULT_HEALTH_PATH = '/api/v1/health';

/** Region of the pipeline, and of its stages, unless the service sets `pipelineRegion`. */
export const DEFAULT_REGION = 'us-east-1';

/** Values a new service starts with, so it builds and synthesizes before anyone has real AWS details. */
export const PLACEHOLDERS = {
  owner: 'my-org',
  connectionArn: 'arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-0000-0000-000000000000',
  pipelineAccount: '111111111111',
  stageAccounts: ['222222222222', '333333333333', '444444444444'],
} as const;

/** Every placeholder value, to recognise one wherever it stands. */
export const PLACEHOLDER_VALUES: ReadonlySet<unknown> = new Set([
  PLACEHOLDERS.owner, PLACEHOLDERS.connectionArn, PLACEHOLDERS.pipelineAccount, ...PLACEHOLDERS.stageAccounts,
]);

/** Name of a service's pipeline stack, the only stack a person ever deploys by hand. */
export function pipelineStackName(serviceName: string): string {
  return `${serviceName}-pipeline`;
}

/**
 * The customer-managed policies every stage account holds for its services, one each, shared by
 * every service deployed there (the bootstrap is per account and region): the permissions
 * boundary of every role the stages create, and the policy CloudFormation deploys them with.
 */
/**
 * IAM actions on a CodeConnections connection, under both prefixes: IAM authorizes a
 * `codeconnections` ARN for the codeconnections: actions and an older `codestar-connections`
 * ARN (connections made before the service was renamed) for those.
 */
export function connectionActions(...verbs: string[]): string[] {
  return ['codeconnections', 'codestar-connections'].flatMap((prefix) => verbs.map((verb) => `${prefix}:${verb}`));
}

export const PERMISSIONS_BOUNDARY_NAME = 'serverless-service-boundary';
export const EXECUTION_POLICY_NAME = 'serverless-service-cfn-execution';

/**
 * The IAM path of every role of one stage of a service: the execution policy scopes what
 * CloudFormation may do to roles by it, so role names of any length (CloudFormation shortens
 * generated ones) stay within its reach.
 */
export function stageRolePath(serviceName: string, stageName: string): string {
  return `/serverless-service/${serviceName}/${stageName}/`;
}

/** What the preview builds run once installed: bundle (the app synthesizes the bundle as its asset), deploy, test; or destroy. */
export const PREVIEW_COMMANDS = {
  deploy: ['npx projen bundle', 'npx serverless-service preview deploy'],
  destroy: ['npx serverless-service preview destroy'],
} as const;
