import { ApiAuthorization, DeploymentStrategy, SourceProvider } from './enums';
import { escalatingActions } from './escalation';
import { ResolvedServiceSettings, resolveServiceSettings, ResolvedStage } from './resolve';
import { PreviewOptions, ServiceSettings } from './service-settings';
import { DRIFT_DETECTION_OFF, PROFILE_DEFAULTS, stageValues } from './stage-defaults';
import { StageSettingsProps } from './stage-settings';

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
// Short enough for "<service>-<stage>-..." resource names to fit Lambda's and IAM's 64 characters.
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,29}$/;
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,19}$/;
// The names of the pipeline's own stages: CDK Pipelines' and each stage's approval and window stages.
const PIPELINE_STAGE_NAME = /^(source|build|updatepipeline|assets|approve-.*|window-.*)$/i;
// Previews' and sandboxes' stacks are "<service>-pr-<number>" and "<service>-sandbox-<name>": no stage or service may look like them.
const DISPOSABLE_STAGE_NAME = /^(pr-\d|sandbox-)/i;
const DISPOSABLE_NAME_PART = /-pr-\d|-sandbox(-|$)/;
const STEP_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REPOSITORY_OWNER = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const REPOSITORY_NAME = /^[A-Za-z0-9_.-]+$/;
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;
// git check-ref-format, in short: no spaces, control characters, "..", "~^:?*[\", "@{", leading or trailing "/" or ".lock".
const BAD_BRANCH = /[\s~^:?*[\\\x00-\x1f\x7f]|\.\.|@\{|^\/|\/$|\/\/|\.lock$|^$/;
// An absolute URL path without query or fragment.
const URL_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
/** The retention periods CloudWatch Logs offers, in days (aws-logs RetentionDays). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 9999];
/** Variables the service's function sets itself, or that the Lambda runtime reserves. */
const RESERVED_ENVIRONMENT = /^(AWS_|LAMBDA_|_)|^(NODE_OPTIONS|SERVICE_NAME|STAGE_NAME|CORS_ALLOWED_ORIGINS|POWERTOOLS_SERVICE_NAME|TZ)$/;
const ENVIRONMENT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const COGNITO_USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_[A-Za-z0-9]+$/;
// API Gateway stages take regional web ACLs only; CloudFront's (global) ones are refused on association.
const REGIONAL_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):\d{12}:regional\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;

// CodePipeline's deployment-window cron: seconds (always *), minutes, hours, day of month, month, day of week, optional year.
const CRON_FIELD = /^[0-9A-Za-z*?,/#-]+$/;
const CODEARTIFACT_DOMAIN = /^[a-z][a-z0-9-]{1,49}$/;
const CODEARTIFACT_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;
const NPM_SCOPE = /^@[a-z0-9][a-z0-9._~-]*$/;

/**
 * Every problem of a service's settings, one message each, naming the setting as written in
 * `.projenrc.ts` (such as `'stages[2].account'`), the value, and what is expected. The project
 * type calls it before writing any file and `ServicePipelineStack` in its constructor.
 */
export function serviceSettingsProblems(settings: ServiceSettings): string[] {
  const resolved = resolveServiceSettings(settings);
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };

  check(SERVICE_NAME.test(resolved.serviceName),
    `'serviceName' must be 1 to 30 lower-case letters, digits or hyphens, starting with a letter, got "${resolved.serviceName}". `
    + 'Set serviceName explicitly, e.g. serviceName: \'orders\'.');
  check(!DISPOSABLE_NAME_PART.test(resolved.serviceName),
    `'serviceName' "${resolved.serviceName}" holds "-pr-<digit>" or "-sandbox": the stacks of another service's previews and sandboxes `
    + 'are named so ("<service>-pr-7", "<service>-sandbox-alice"), and its preview deploy role would reach this service\'s stacks. Choose another name.');
  check(ACCOUNT.test(resolved.pipelineAccount),
    `'pipelineAccount' must be a 12-digit AWS account id, got "${resolved.pipelineAccount}".`);
  check(REGION.test(resolved.pipelineRegion),
    `'pipelineRegion' must be an AWS region such as "eu-west-1", got "${resolved.pipelineRegion}".`);
  problems.push(...sourceProblems(resolved));
  check(URL_PATH.test(resolved.healthPath),
    `'healthPath' must be a URL path starting with "/", without query or fragment, got "${resolved.healthPath}".`);

  check(resolved.stages.length > 0, '\'stages\' must list at least one stage to deploy to.');
  const seen = new Set<string>();
  resolved.stages.forEach((stage, i) => {
    const at = `stages[${i}]`;
    const name = String(stage.name ?? '');
    check(STAGE_NAME.test(name),
      `'${at}.name' must start with a letter and hold at most 20 letters, digits or hyphens, got "${stage.name}".`);
    check(!seen.has(name.toLowerCase()),
      `'${at}.name' repeats the stage name "${name}": every stage needs its own name.`);
    seen.add(name.toLowerCase());
    check(!PIPELINE_STAGE_NAME.test(name),
      `'${at}.name' "${name}" is a name the pipeline gives its own stages (Source, Build, UpdatePipeline, Assets, Approve-<stage>, Window-<stage>): choose another.`);
    check(!DISPOSABLE_STAGE_NAME.test(name),
      `'${at}.name' "${name}" starts like the stacks of previews and sandboxes ("pr-<digit>", "sandbox-"), which their deploy role may change: choose another.`);
    check(ACCOUNT.test(stage.account ?? ''),
      `'${at}.account' must be a 12-digit AWS account id, got "${stage.account}".`);
    check(REGION.test(stage.region),
      `'${at}.region' must be an AWS region such as "eu-west-1", got "${stage.region}".`);
    problems.push(...stageSettingsProblems(stage.settings, `${at}.`, stage.region));
    problems.push(...deliveryProblems(stage, at));
    const stepNames = new Set<string>();
    for (const [list, steps] of [['stepsBefore', stage.stepsBefore], ['stepsAfter', stage.stepsAfter]] as const) {
      steps.forEach((step, j) => {
        const where = `${at}.${list}[${j}]`;
        check(STEP_NAME.test(step.name ?? '') && !stepNames.has(step.name),
          `'${where}.name' must be a name of letters, digits and hyphens, unique in the stage, got "${step.name}".`);
        stepNames.add(step.name);
        check(Array.isArray(step.commands) && step.commands.length > 0,
          `'${where}.commands' must list at least one shell command.`);
      });
    }
  });

  resolved.functionPolicyStatements.forEach((statement, i) => {
    const where = `functionPolicyStatements[${i}]`;
    const actions = statement.actions ?? [];
    check(actions.length > 0 && actions.every((action) => IAM_ACTION.test(action)),
      `'${where}.actions' must name actions as service:Action (no bare "*"), got ${JSON.stringify(actions)}.`);
    const escalating = escalatingActions(actions.filter((action) => IAM_ACTION.test(action)));
    check(escalating.length === 0,
      `'${where}.actions' asks for ${escalating.join(', ')}, outside the permissions boundary of every role of a service `
      + '(IAM, assuming roles, the organization or the account would let the function escape it). Give the function what it calls instead.');
    check((statement.resources ?? []).length > 0,
      `'${where}.resources' must list the ARNs the actions are allowed on.`);
  });

  problems.push(...registryProblems(resolved));
  problems.push(...previewProblems(settings.previews, resolved));

  const { emailSubscribers, slackWorkspaceId, slackChannelId } = resolved.notifications;
  emailSubscribers.forEach((email, i) => check(EMAIL.test(email),
    `'notifications.emailSubscribers[${i}]' must be an email address, got "${email}".`));
  check(!slackWorkspaceId === !slackChannelId,
    '\'notifications.slackWorkspaceId\' and \'notifications.slackChannelId\' go together: set both for Slack, or neither.');
  return problems;
}

/** What is wrong with a stage's deployment window, bake time and alarm gate. */
function deliveryProblems(stage: ResolvedStage, at: string): string[] {
  const problems: string[] = [];
  const window = stage.deploymentWindow;
  if (window) {
    const fields = String(window.cron ?? '').trim().split(/\s+/);
    const dayFields = [fields[3], fields[5]];
    if (!(fields.length === 6 || fields.length === 7) || fields[0] !== '*' || !fields.every((f) => CRON_FIELD.test(f))
      || dayFields.filter((f) => f === '?').length !== 1) {
      problems.push(`'${at}.deploymentWindow.cron' must be CodePipeline's cron expression: seconds (*), minutes, hours, day of month, `
        + `month, day of week (one of the two days "?") and an optional year, such as "* * 9-16 ? * MON-THU", got "${window.cron}".`);
    }
    if (!isTimeZone(window.timeZone)) {
      problems.push(`'${at}.deploymentWindow.timeZone' must be an IANA time zone such as "Europe/Berlin", or "UTC", got "${window.timeZone}".`);
    }
  }
  if (stage.bakeTimeMinutes !== 0 && !(Number.isInteger(stage.bakeTimeMinutes) && stage.bakeTimeMinutes >= 1 && stage.bakeTimeMinutes <= 120)) {
    problems.push(`'${at}.bakeTimeMinutes' must be a whole number of minutes from 1 to 120, got ${stage.bakeTimeMinutes}.`);
  }
  return problems;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return typeof name === 'string' && name.length > 0;
  } catch {
    return false;
  }
}

/** What is wrong with where builds install private packages from. */
function registryProblems(resolved: ResolvedServiceSettings): string[] {
  const registry = resolved.packageRegistry;
  if (!registry) return [];
  const problems: string[] = [];
  const codeArtifact = registry.codeArtifact;
  if (!codeArtifact === !registry.npmRegistryUrl) {
    problems.push('\'packageRegistry\' must give either codeArtifact (domain, domainOwner, repository) or npmRegistryUrl with npmTokenSecretArn, not both or neither.');
  }
  if (codeArtifact) {
    if (!CODEARTIFACT_DOMAIN.test(codeArtifact.domain ?? '')) {
      problems.push(`'packageRegistry.codeArtifact.domain' must be a CodeArtifact domain name (lower-case letters, digits, hyphens), got "${codeArtifact.domain}".`);
    }
    if (!ACCOUNT.test(codeArtifact.domainOwner ?? '')) {
      problems.push(`'packageRegistry.codeArtifact.domainOwner' must be the 12-digit AWS account id that owns the domain, got "${codeArtifact.domainOwner}".`);
    }
    if (!CODEARTIFACT_REPOSITORY.test(codeArtifact.repository ?? '')) {
      problems.push(`'packageRegistry.codeArtifact.repository' must be a CodeArtifact repository name, got "${codeArtifact.repository}".`);
    }
    if (!REGION.test(codeArtifact.region)) {
      problems.push(`'packageRegistry.codeArtifact.region' must be an AWS region such as "eu-west-1", got "${codeArtifact.region}".`);
    }
  }
  if (registry.npmRegistryUrl !== undefined) {
    if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(registry.npmRegistryUrl)) {
      problems.push(`'packageRegistry.npmRegistryUrl' must be the registry's HTTPS URL, such as https://npm.example.com/api/npm/private/, got "${registry.npmRegistryUrl}".`);
    }
    if (!SECRET_ARN.test(registry.npmTokenSecretArn ?? '')) {
      problems.push(`'packageRegistry.npmTokenSecretArn' must be the ARN of the Secrets Manager secret holding the registry's token, got "${registry.npmTokenSecretArn}".`);
    }
  } else if (registry.npmTokenSecretArn !== undefined) {
    problems.push('\'packageRegistry.npmTokenSecretArn\' goes with npmRegistryUrl: set the registry URL too, or remove it.');
  }
  if (registry.scope !== undefined && !NPM_SCOPE.test(registry.scope)) {
    problems.push(`'packageRegistry.scope' must be an npm scope such as "@org", got "${registry.scope}".`);
  }
  return problems;
}

function sourceProblems(resolved: ResolvedServiceSettings): string[] {
  const { owner, name, branch, connectionArn, provider, repositoryUrl } = resolved.sourceRepository;
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  check(REPOSITORY_OWNER.test(owner),
    `'sourceRepository.owner' must be an organisation, user or group name, got "${owner}".`);
  check(REPOSITORY_NAME.test(name),
    `'sourceRepository.name' must be a repository name without slashes, got "${name}".`);
  check(!BAD_BRANCH.test(branch),
    `'sourceRepository.branch' must be a valid git branch name, got "${branch}".`);
  check(Object.values(SourceProvider).includes(provider),
    `'sourceRepository.provider' must be one of ${Object.values(SourceProvider).join(', ')}, got "${provider}".`);
  if (repositoryUrl !== undefined) {
    check(/^https:\/\/[^\s/]+\/\S+$/.test(repositoryUrl),
      `'sourceRepository.repositoryUrl' must be the repository's HTTPS clone URL, such as https://git.example.com/acme/orders.git, got "${repositoryUrl}".`);
  } else {
    check(provider !== SourceProvider.GITHUB_ENTERPRISE || !resolved.pullRequestBuilds,
      '\'sourceRepository.repositoryUrl\' is required with provider GITHUB_ENTERPRISE: pull-request builds clone from your own host '
      + '(its HTTPS clone URL, such as https://git.example.com/acme/orders.git), or set pullRequestBuilds to false.');
  }
  check(CONNECTION_ARN.test(connectionArn),
    `'sourceRepository.connectionArn' must be a connection ARN such as arn:aws:codeconnections:REGION:ACCOUNT:connection/ID, got "${connectionArn}".`);
  return problems;
}

/**
 * What is wrong with one stage's settings once the profile's defaults apply, one message per
 * setting, each naming it with `optionPrefix` before it (such as "stages[2]."). With the stage's
 * `region`, a web ACL in another region is refused too (WAF associates regional ACLs only in
 * their region); leave it undefined where the region is not known yet.
 */
export function stageSettingsProblems(props: StageSettingsProps = {}, optionPrefix = '', region?: string): string[] {
  const values = stageValues(props);
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
  check(LOG_RETENTION_DAYS.includes(logRetentionDays), 'logRetentionDays',
    `must be a CloudWatch Logs retention such as 7, 14, 30, 90, 365, got ${logRetentionDays}.`);
  check(props.reservedConcurrency === undefined || (Number.isInteger(props.reservedConcurrency) && props.reservedConcurrency >= 1), 'reservedConcurrency',
    `must be a whole number of at least 1, got ${props.reservedConcurrency}.`);
  problems.push(...provisionedConcurrencyProblems(props, optionPrefix));
  check(throttlingRateLimit > 0, 'throttlingRateLimit', `must be above 0, got ${throttlingRateLimit}.`);
  check(props.throttlingBurstLimit === undefined || (Number.isInteger(props.throttlingBurstLimit) && props.throttlingBurstLimit > 0), 'throttlingBurstLimit',
    `must be a whole number above 0, got ${props.throttlingBurstLimit}.`);
  check(deploymentStrategy in DeploymentStrategy, 'deploymentStrategy',
    `must be one of ${Object.keys(DeploymentStrategy).join(', ')}, got "${deploymentStrategy}".`);
  check(values.latencyAlarmThresholdMs > 0, 'latencyAlarmThresholdMs', `must be above 0, got ${values.latencyAlarmThresholdMs}.`);
  check(isDriftSchedule(values.driftDetectionSchedule), 'driftDetectionSchedule',
    `must be "${DRIFT_DETECTION_OFF}" or an EventBridge Scheduler expression running at most hourly: rate(N hours) or rate(N days), such as "rate(1 day)" or "rate(12 hours)", `
    + 'or cron(minute hour day-of-month month day-of-week year) at one minute of the hour, one of the two days "?", such as "cron(0 6 ? * MON-FRI *)" (UTC), '
    + `got "${values.driftDetectionSchedule}".`);
  for (const name of Object.keys(values.environment)) {
    check(ENVIRONMENT_NAME.test(name) && !RESERVED_ENVIRONMENT.test(name), `environment.${name}`,
      'must be a variable name of letters, digits and underscores that neither the service nor Lambda reserves.');
  }
  return [...problems, ...protectionProblems(props, optionPrefix, region)];
}

/**
 * Provisioned concurrency is a whole number of environments, taken out of the reserved concurrency
 * when there is one (Lambda refuses more than the reserved). All of it provisioned on the alias
 * would throttle every other invocation, the pre-traffic hook's call of a new version among them,
 * so it must stay below: every deployment would otherwise fail its hook and roll back.
 */
function provisionedConcurrencyProblems(props: StageSettingsProps, optionPrefix: string): string[] {
  const { provisionedConcurrency: provisioned, reservedConcurrency: reserved } = props;
  if (provisioned === undefined) return [];
  if (!(Number.isInteger(provisioned) && provisioned >= 1)) {
    return [`'${optionPrefix}provisionedConcurrency' must be a whole number of at least 1, got ${provisioned}; `
      + 'remove it for no provisioned concurrency.'];
  }
  if (Number.isInteger(reserved) && reserved! >= 1 && provisioned >= reserved!) {
    return [`'${optionPrefix}provisionedConcurrency' (${provisioned}) must be less than '${optionPrefix}reservedConcurrency' (${reserved}): `
      + 'Lambda takes provisioned concurrency out of the reserved, and with all of it provisioned on the live alias it throttles '
      + 'every other invocation, the pre-traffic hook\'s call of each new version too. Raise reservedConcurrency or lower provisionedConcurrency.'];
  }
  return [];
}

/**
 * Whether a drift detection schedule is "off" or a Scheduler rate or cron expression at most
 * hourly: a stack's detection takes minutes, and CloudFormation runs one per stack at a time.
 */
function isDriftSchedule(schedule: unknown): boolean {
  if (schedule === DRIFT_DETECTION_OFF) return true;
  if (typeof schedule !== 'string') return false;
  const rate = /^rate\(([1-9]\d*) (hours?|days?)\)$/.exec(schedule);
  if (rate) return (rate[1] === '1') === !rate[2].endsWith('s');
  const cron = /^cron\((.*)\)$/.exec(schedule);
  const fields = cron ? cron[1].split(' ') : [];
  return fields.length === 6 && fields.every((f) => CRON_FIELD.test(f)) && /^([0-5]?\d)$/.test(fields[0])
    && [fields[2], fields[4]].filter((f) => f === '?').length === 1;
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
    } else if (region && match[1] !== region) {
      problems.push(`'${optionPrefix}webAclArn' is in ${match[1]}, but the stage deploys to ${region}: a web ACL protects APIs of its own region only.`);
    }
  }
  return problems;
}

/** One error listing every problem, each on its own line, under a heading that says where they are. */
export function settingsError(heading: string, problems: string[]): Error {
  return new Error([heading, ...problems.map((problem) => `  - ${problem}`)].join('\n'));
}

/** Throws every problem of the settings a construct was given, before it creates anything. */
export function assertValidSettings(construct: string, settings: ServiceSettings): void {
  const problems = serviceSettingsProblems(settings);
  if (problems.length > 0) throw settingsError(`Invalid settings for ${construct}:`, problems);
}

/** Previews need a development stage to copy; their cap and age are small positive integers. */
function previewProblems(options: PreviewOptions | undefined, resolved: ResolvedServiceSettings): string[] {
  if (options === undefined) return [];
  const problems: string[] = [];
  if (options.enabled === true && !resolved.previews) {
    problems.push('\'previews.enabled\' is true but no stage has the DEVELOPMENT profile, whose account and region previews deploy into: '
      + 'give a stage profile: StageProfile.DEVELOPMENT, or set previews: { enabled: false }.');
  }
  const integer = (value: number | undefined, min: number, max: number) =>
    value === undefined || (Number.isInteger(value) && value >= min && value <= max);
  if (!integer(options.maxConcurrent, 1, 100)) {
    problems.push(`'previews.maxConcurrent' must be a whole number from 1 to 100, got ${JSON.stringify(options.maxConcurrent)}.`);
  }
  if (!integer(options.maxAgeDays, 1, 90)) {
    problems.push(`'previews.maxAgeDays' must be a whole number of days from 1 to 90, got ${JSON.stringify(options.maxAgeDays)}.`);
  }
  return problems;
}
