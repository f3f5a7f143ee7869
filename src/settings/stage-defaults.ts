import { ApiAuthorization, DeploymentStrategy, StageProfile } from './enums';
import { StageSettingsProps } from './stage-settings';

/** A stage's settings with every default applied, as plain values (the constructs turn them into CDK types). */
export interface StageValues {
  readonly profile: StageProfile;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  readonly reservedConcurrency?: number;
  readonly provisionedConcurrency?: number;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly corsAllowedOrigins: string[];
  readonly deploymentStrategy: DeploymentStrategy;
  readonly tracing: boolean;
  readonly latencyAlarmThresholdMs: number;
  readonly environment: { [name: string]: string };
  readonly authorization: ApiAuthorization;
  readonly cognitoUserPoolArn?: string;
  readonly webAclArn?: string;
  readonly driftDetectionSchedule: string;
}

/** The `driftDetectionSchedule` of a stage that is never checked for drift. */
export const DRIFT_DETECTION_OFF = 'off';

/** The defaults each profile gives the settings a stage leaves unset. */
export const PROFILE_DEFAULTS: Readonly<Record<StageProfile, {
  readonly memorySize: number;
  readonly logRetentionDays: number;
  readonly throttlingRateLimit: number;
  readonly corsAllowedOrigins: readonly string[];
  readonly deploymentStrategy: DeploymentStrategy;
  readonly driftDetectionSchedule: string;
}>> = {
  [StageProfile.DEVELOPMENT]: {
    memorySize: 512,
    logRetentionDays: 7,
    throttlingRateLimit: 50,
    corsAllowedOrigins: ['*'],
    deploymentStrategy: DeploymentStrategy.ALL_AT_ONCE,
    driftDetectionSchedule: 'rate(1 day)',
  },
  [StageProfile.PRE_PRODUCTION]: {
    memorySize: 512,
    logRetentionDays: 30,
    throttlingRateLimit: 100,
    corsAllowedOrigins: ['*'],
    deploymentStrategy: DeploymentStrategy.CANARY_10PERCENT_5MINUTES,
    driftDetectionSchedule: 'rate(1 day)',
  },
  [StageProfile.PRODUCTION]: {
    memorySize: 1024,
    logRetentionDays: 365,
    throttlingRateLimit: 1000,
    corsAllowedOrigins: [],
    deploymentStrategy: DeploymentStrategy.CANARY_10PERCENT_15MINUTES,
    driftDetectionSchedule: 'rate(1 day)',
  },
};

/** The settings with their profile's defaults applied (the profile itself defaults to PRODUCTION); undefined for an unknown profile. */
export function stageValues(props: StageSettingsProps = {}): StageValues | undefined {
  const profile = props.profile ?? StageProfile.PRODUCTION;
  const defaults = PROFILE_DEFAULTS[profile];
  if (!defaults) return undefined;
  const throttlingRateLimit = props.throttlingRateLimit ?? defaults.throttlingRateLimit;
  return {
    profile,
    memorySize: props.memorySize ?? defaults.memorySize,
    timeoutSeconds: props.timeoutSeconds ?? 10,
    logRetentionDays: props.logRetentionDays ?? defaults.logRetentionDays,
    reservedConcurrency: props.reservedConcurrency,
    provisionedConcurrency: props.provisionedConcurrency,
    throttlingRateLimit,
    throttlingBurstLimit: props.throttlingBurstLimit ?? throttlingRateLimit * 2,
    corsAllowedOrigins: [...props.corsAllowedOrigins ?? defaults.corsAllowedOrigins],
    deploymentStrategy: props.deploymentStrategy ?? defaults.deploymentStrategy,
    tracing: props.tracing ?? true,
    latencyAlarmThresholdMs: props.latencyAlarmThresholdMs ?? 3000,
    environment: props.environment ?? {},
    authorization: props.authorization ?? ApiAuthorization.NONE,
    cognitoUserPoolArn: props.cognitoUserPoolArn,
    webAclArn: props.webAclArn,
    driftDetectionSchedule: props.driftDetectionSchedule ?? defaults.driftDetectionSchedule,
  };
}

/** First stage develops, last stage is production, the ones between rehearse; a lone stage is production. */
function defaultProfile(index: number, count: number): StageProfile {
  if (index === count - 1) return StageProfile.PRODUCTION;
  return index === 0 ? StageProfile.DEVELOPMENT : StageProfile.PRE_PRODUCTION;
}

/**
 * The settings a stage deploys with: its profile defaulting from its place in the pipeline,
 * and the service-wide environment variables under its own.
 */
export function deployedStageProps(stage: StageSettingsProps, index: number, count: number,
  serviceEnvironment: { [name: string]: string } = {}): StageSettingsProps {
  return {
    ...stage,
    profile: stage.profile ?? defaultProfile(index, count),
    environment: { ...serviceEnvironment, ...stage.environment },
  };
}

/** The longest a preview or sandbox keeps its logs, in days. */
export const DISPOSABLE_LOG_RETENTION_DAYS = 7;

/**
 * The settings of a disposable copy (preview, sandbox) of a stage: the stage's own, but every
 * release at once, logs for a week at most, no reserved concurrency (ten previews reserving it
 * would starve the stage they copy), no provisioned concurrency (billed while the copy sits idle)
 * and no drift checks (nobody changes a copy by hand).
 */
export function disposableStageProps(host: StageSettingsProps): StageSettingsProps {
  const values = stageValues(host);
  return {
    ...host,
    deploymentStrategy: DeploymentStrategy.ALL_AT_ONCE,
    logRetentionDays: Math.min(values?.logRetentionDays ?? DISPOSABLE_LOG_RETENTION_DAYS, DISPOSABLE_LOG_RETENTION_DAYS),
    reservedConcurrency: undefined,
    provisionedConcurrency: undefined,
    driftDetectionSchedule: DRIFT_DETECTION_OFF,
  };
}
