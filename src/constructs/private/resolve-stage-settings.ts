import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiAuthorization, DeploymentStrategy, StageProfile, StageSettingsProps } from '../stage-settings';

/** Settings with every default applied, in CDK types. */
export interface ResolvedStageSettings {
  readonly profile: StageProfile;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly reservedConcurrency?: number;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly corsAllowedOrigins: string[];
  readonly deploymentStrategy: DeploymentStrategy;
  readonly tracing: boolean;
  readonly latencyAlarmThreshold: Duration;
  readonly environment: { [name: string]: string };
  readonly authorization: ApiAuthorization;
  readonly cognitoUserPoolArn?: string;
  readonly webAclArn?: string;
}

/** Variables the service's function sets itself, or that the Lambda runtime reserves. */
const RESERVED_ENVIRONMENT = /^(AWS_|LAMBDA_|_)|^(NODE_OPTIONS|SERVICE_NAME|STAGE_NAME|CORS_ALLOWED_ORIGINS|POWERTOOLS_SERVICE_NAME|TZ)$/;
const ENVIRONMENT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const COGNITO_USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_[A-Za-z0-9]+$/;
// API Gateway stages take regional web ACLs only; CloudFront's (global) ones are refused on association.
const REGIONAL_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):\d{12}:regional\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;

const PROFILE_DEFAULTS: Record<StageProfile, {
  memorySize: number;
  logRetentionDays: number;
  throttlingRateLimit: number;
  corsAllowedOrigins: string[];
  deploymentStrategy: DeploymentStrategy;
}> = {
  [StageProfile.DEVELOPMENT]: {
    memorySize: 512,
    logRetentionDays: 7,
    throttlingRateLimit: 50,
    corsAllowedOrigins: ['*'],
    deploymentStrategy: DeploymentStrategy.ALL_AT_ONCE,
  },
  [StageProfile.PRE_PRODUCTION]: {
    memorySize: 512,
    logRetentionDays: 30,
    throttlingRateLimit: 100,
    corsAllowedOrigins: ['*'],
    deploymentStrategy: DeploymentStrategy.CANARY_10PERCENT_5MINUTES,
  },
  [StageProfile.PRODUCTION]: {
    memorySize: 1024,
    logRetentionDays: 365,
    throttlingRateLimit: 1000,
    corsAllowedOrigins: [],
    deploymentStrategy: DeploymentStrategy.CANARY_10PERCENT_15MINUTES,
  },
};

/** The profile's defaults applied to a stage's settings, still unchecked; undefined for an unknown profile. */
function withProfileDefaults(props: StageSettingsProps) {
  const profile = props.profile ?? StageProfile.PRODUCTION;
  const defaults = PROFILE_DEFAULTS[profile];
  if (!defaults) return undefined;
  return {
    profile,
    memorySize: props.memorySize ?? defaults.memorySize,
    timeoutSeconds: props.timeoutSeconds ?? 10,
    logRetentionDays: props.logRetentionDays ?? defaults.logRetentionDays,
    throttlingRateLimit: props.throttlingRateLimit ?? defaults.throttlingRateLimit,
    deploymentStrategy: props.deploymentStrategy ?? defaults.deploymentStrategy,
    corsAllowedOrigins: props.corsAllowedOrigins ?? defaults.corsAllowedOrigins,
  };
}

/**
 * What is wrong with a stage's settings once the profile's defaults apply, one message per
 * setting, each naming it with `optionPrefix` before it (such as "stages[2]."). With the
 * stage's `region`, a web ACL in another region is refused too (WAF associates regional ACLs
 * only in their region).
 */
export function stageSettingsProblems(props: StageSettingsProps = {}, optionPrefix = '', region?: string): string[] {
  const values = withProfileDefaults(props);
  if (!values) {
    return [`'${optionPrefix}profile' must be one of ${Object.keys(PROFILE_DEFAULTS).join(', ')}, got "${props.profile}".`];
  }
  const { memorySize, timeoutSeconds, logRetentionDays, throttlingRateLimit, deploymentStrategy } = values;

  const problems: string[] = [];
  const check = (ok: boolean, setting: string, rule: string) => {
    if (!ok) problems.push(`'${optionPrefix}${setting}' ${rule}`);
  };
  check(Number.isInteger(memorySize) && memorySize >= 128 && memorySize <= 10240, 'memorySize',
    `must be a whole number of MiB from 128 to 10240, got ${memorySize}.`);
  check(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1 && timeoutSeconds <= 29, 'timeoutSeconds',
    `must be a whole number from 1 to 29 (API Gateway stops waiting at 29), got ${timeoutSeconds}.`);
  check(Object.values(logs.RetentionDays).includes(logRetentionDays), 'logRetentionDays',
    `must be a CloudWatch Logs retention such as 7, 14, 30, 90, 365, got ${logRetentionDays}.`);
  check(props.reservedConcurrency === undefined || (Number.isInteger(props.reservedConcurrency) && props.reservedConcurrency >= 1), 'reservedConcurrency',
    `must be a whole number of at least 1, got ${props.reservedConcurrency}.`);
  check(throttlingRateLimit > 0, 'throttlingRateLimit', `must be above 0, got ${throttlingRateLimit}.`);
  check(props.throttlingBurstLimit === undefined || (Number.isInteger(props.throttlingBurstLimit) && props.throttlingBurstLimit > 0), 'throttlingBurstLimit',
    `must be a whole number above 0, got ${props.throttlingBurstLimit}.`);
  check(deploymentStrategy in DeploymentStrategy, 'deploymentStrategy',
    `must be one of ${Object.keys(DeploymentStrategy).join(', ')}, got "${deploymentStrategy}".`);
  for (const name of Object.keys(props.environment ?? {})) {
    check(ENVIRONMENT_NAME.test(name) && !RESERVED_ENVIRONMENT.test(name), `environment.${name}`,
      'must be a variable name of letters, digits and underscores that neither the service nor Lambda reserves.');
  }
  return [...problems, ...protectionProblems(props, optionPrefix, region)];
}

/** A stage's settings with the profile's defaults applied; throws every problem `stageSettingsProblems` finds, one per line. */
export function resolveStageSettings(props: StageSettingsProps = {}, optionPrefix = '', region?: string): ResolvedStageSettings {
  const problems = stageSettingsProblems(props, optionPrefix, region);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const values = withProfileDefaults(props)!;

  return {
    profile: values.profile,
    memorySize: values.memorySize,
    timeout: Duration.seconds(values.timeoutSeconds),
    logRetention: values.logRetentionDays as logs.RetentionDays,
    reservedConcurrency: props.reservedConcurrency,
    throttlingRateLimit: values.throttlingRateLimit,
    throttlingBurstLimit: props.throttlingBurstLimit ?? values.throttlingRateLimit * 2,
    corsAllowedOrigins: values.corsAllowedOrigins,
    deploymentStrategy: values.deploymentStrategy,
    tracing: props.tracing ?? false,
    latencyAlarmThreshold: Duration.millis(props.latencyAlarmThresholdMs ?? 3000),
    environment: props.environment ?? {},
    authorization: props.authorization ?? ApiAuthorization.NONE,
    cognitoUserPoolArn: props.cognitoUserPoolArn,
    webAclArn: props.webAclArn,
  };
}

/** What is wrong with a stage's authorization and web ACL settings, one message each. */
function protectionProblems(props: StageSettingsProps, optionPrefix: string, region?: string): string[] {
  const problems: string[] = [];
  const authorization = props.authorization ?? ApiAuthorization.NONE;
  const pool = props.cognitoUserPoolArn;
  if (!Object.values(ApiAuthorization).includes(authorization)) {
    problems.push(`'${optionPrefix}authorization' must be one of ${Object.values(ApiAuthorization).join(', ')}, got "${authorization}".`);
  } else if (authorization === ApiAuthorization.COGNITO && pool === undefined) {
    problems.push(`'${optionPrefix}cognitoUserPoolArn' is required with authorization COGNITO: the ARN of the user pool whose tokens the API accepts.`);
  } else if (authorization !== ApiAuthorization.COGNITO && pool !== undefined) {
    problems.push(`'${optionPrefix}cognitoUserPoolArn' is only used with authorization COGNITO; set authorization to COGNITO or remove it.`);
  }
  if (pool !== undefined && !COGNITO_USER_POOL_ARN.test(pool)) {
    problems.push(`'${optionPrefix}cognitoUserPoolArn' must be a user pool ARN such as arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123, got "${pool}".`);
  }
  const webAcl = props.webAclArn;
  if (webAcl !== undefined) {
    const match = REGIONAL_WEB_ACL_ARN.exec(webAcl);
    if (!match) {
      problems.push(`'${optionPrefix}webAclArn' must be the ARN of a regional WAF web ACL such as `
        + `arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/NAME/ID (CloudFront's global ACLs cannot protect an API stage), got "${webAcl}".`);
    } else if (region && !Token.isUnresolved(region) && match[1] !== region) {
      problems.push(`'${optionPrefix}webAclArn' is in ${match[1]}, but the stage deploys to ${region}: a web ACL protects APIs of its own region only.`);
    }
  }
  return problems;
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
