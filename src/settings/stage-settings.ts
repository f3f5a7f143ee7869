import { ApiAuthorization, DeploymentStrategy, StageProfile } from './enums';

/**
 * Settings of the service in one stage. Plain values, so that a service's generated
 * CDK app can pass them straight from `.projenrc.ts`. Every one defaults from the profile.
 */
export interface StageSettingsProps {
  /**
   * Which defaults the stage starts from.
   *
   * @default StageProfile.PRODUCTION
   */
  readonly profile?: StageProfile;

  /**
   * Memory of the function, in MiB (128 to 10240).
   *
   * @default - 512 in development and pre-production, 1024 in production
   */
  readonly memorySize?: number;

  /**
   * Timeout of one invocation, in seconds (1 to 29: API Gateway gives up at 29).
   *
   * @default 10
   */
  readonly timeoutSeconds?: number;

  /**
   * How long the function's logs are kept, in days (a CloudWatch Logs retention value such as 7, 30, 365).
   *
   * @default - 7 in development, 30 in pre-production, 365 in production
   */
  readonly logRetentionDays?: number;

  /**
   * Concurrency reserved for the function, which also caps it.
   *
   * @default - none: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;

  /**
   * Execution environments Lambda keeps initialised on the `live` alias, so that this many
   * concurrent requests never wait for a cold start. Billed for every second it is configured,
   * used or not; previews and sandboxes never get it. With `reservedConcurrency`, it must stay
   * below it: provisioned concurrency is taken from the reserved, and with all of it provisioned
   * Lambda runs nothing else, not even the pre-traffic hook's call of a new version. Lambda also
   * refuses a deploy that leaves the account fewer than 100 unreserved concurrent executions,
   * which only the account's quota can tell.
   *
   * @default - none: every instance starts on demand
   */
  readonly provisionedConcurrency?: number;

  /**
   * Steady-state requests per second API Gateway lets through before answering 429.
   *
   * @default - 50 in development, 100 in pre-production, 1000 in production
   */
  readonly throttlingRateLimit?: number;

  /**
   * Burst of requests API Gateway lets through before answering 429.
   *
   * @default - twice the rate limit
   */
  readonly throttlingBurstLimit?: number;

  /**
   * Origins allowed to call the API from a browser (CORS). `*` allows any origin.
   *
   * @default - ["*"] in development and pre-production; none in production
   */
  readonly corsAllowedOrigins?: string[];

  /**
   * How a new version receives traffic.
   *
   * @default - ALL_AT_ONCE in development, CANARY_10PERCENT_5MINUTES in pre-production, CANARY_10PERCENT_15MINUTES in production
   */
  readonly deploymentStrategy?: DeploymentStrategy;

  /**
   * Whether the API, the function and the pre-traffic hook send traces to AWS X-Ray (active
   * tracing, sampled by X-Ray's rules: by default 1 request a second and 5% of the rest).
   * Turn it off to save X-Ray's charges per trace recorded.
   *
   * @default true
   */
  readonly tracing?: boolean;

  /**
   * API latency (p99, in milliseconds) above which the latency alarm fires and a deployment rolls back.
   *
   * @default 3000
   */
  readonly latencyAlarmThresholdMs?: number;

  /**
   * Extra environment variables of the function in this stage (on top of the service-wide ones).
   *
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Who may call the API.
   *
   * With IAM or COGNITO, CORS preflights (OPTIONS) still reach the app unauthenticated, and
   * the stage's acceptance tests must send credentials themselves.
   *
   * @default ApiAuthorization.NONE
   */
  readonly authorization?: ApiAuthorization;

  /**
   * ARN of the Cognito user pool whose tokens the API accepts; required with `ApiAuthorization.COGNITO` only.
   *
   * @default - none
   */
  readonly cognitoUserPoolArn?: string;

  /**
   * ARN of a regional AWS WAF (wafv2) web ACL, in the stage's region, to associate with the API stage.
   *
   * @default - no web ACL
   */
  readonly webAclArn?: string;

  /**
   * When CloudFormation checks the stage's stack for drift (changes made outside it, such as by
   * hand in the console), as an EventBridge Scheduler expression: `rate(1 day)`, `rate(12 hours)`,
   * `cron(0 6 ? * MON-FRI *)` (UTC); `off` for never. A drifted stack is reported to the service's notifications.
   *
   * @default "rate(1 day)"
   */
  readonly driftDetectionSchedule?: string;
}
