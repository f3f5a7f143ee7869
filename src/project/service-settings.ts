import type { ServerlessServiceProjectOptions } from './options';
import { deployedStageProps, stageSettingsProblems } from '../constructs/private/resolve-stage-settings';
import { SourceProvider } from '../constructs/pull-request-build';
import type { FunctionPolicyStatementProps, PipelineStepProps } from '../constructs/service-extension';
import type { StageSettingsProps } from '../constructs/stage-settings';

/** Values a new service starts with, so it builds and synthesizes before anyone has real AWS details. */
export const PLACEHOLDERS = {
  owner: 'my-org',
  connectionArn: 'arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-0000-0000-000000000000',
  pipelineAccount: '111111111111',
  stageAccounts: ['222222222222', '333333333333', '444444444444'],
} as const;

const DEFAULT_REGION = 'us-east-1';

/** A stage with its place applied; its own settings stay as given, the constructs default the rest. */
export interface StageSettings extends StageSettingsProps {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly manualApproval: boolean;
  readonly stepsBefore?: PipelineStepProps[];
  readonly stepsAfter?: PipelineStepProps[];
}

/** The service's options with every default applied and every value checked. */
export interface ServiceSettings {
  readonly serviceName: string;
  readonly source: {
    readonly owner: string;
    readonly repository: string;
    readonly branch: string;
    readonly connectionArn: string;
    readonly provider?: SourceProvider;
    readonly repositoryUrl?: string;
  };
  readonly pipelineAccount: string;
  readonly pipelineRegion: string;
  readonly stages: StageSettings[];
  readonly notifications: {
    readonly emailSubscribers: string[];
    readonly slackWorkspaceId?: string;
    readonly slackChannelId?: string;
  };
  readonly pullRequestBuilds: boolean;
  readonly environment: { [name: string]: string };
  readonly functionPolicyStatements: FunctionPolicyStatementProps[];
}

/**
 * Applies the defaults to the service's options and checks them. Throws one error
 * listing every bad option, before the project writes any file.
 */
export function resolveServiceSettings(options: ServerlessServiceProjectOptions): ServiceSettings {
  const serviceName = options.serviceName ?? options.name.replace(/^@[^/]+\//, '');
  const pipelineRegion = options.pipelineRegion ?? DEFAULT_REGION;
  const stages = options.stages ?? [
    { name: 'dev', account: PLACEHOLDERS.stageAccounts[0] },
    { name: 'staging', account: PLACEHOLDERS.stageAccounts[1] },
    { name: 'prod', account: PLACEHOLDERS.stageAccounts[2], manualApproval: true },
  ];

  const settings: ServiceSettings = {
    serviceName,
    source: {
      owner: options.sourceRepository?.owner ?? PLACEHOLDERS.owner,
      repository: options.sourceRepository?.name ?? serviceName,
      branch: options.sourceRepository?.branch ?? 'main',
      connectionArn: options.sourceRepository?.connectionArn ?? PLACEHOLDERS.connectionArn,
      provider: options.sourceRepository?.provider,
      repositoryUrl: options.sourceRepository?.repositoryUrl,
    },
    pipelineAccount: options.pipelineAccount ?? PLACEHOLDERS.pipelineAccount,
    pipelineRegion,
    stages: stages.map((stage) => ({
      ...stage,
      region: stage.region ?? pipelineRegion,
      manualApproval: stage.manualApproval ?? false,
    })),
    notifications: {
      emailSubscribers: options.notifications?.emailSubscribers ?? [],
      slackWorkspaceId: options.notifications?.slackWorkspaceId,
      slackChannelId: options.notifications?.slackChannelId,
    },
    pullRequestBuilds: options.pullRequestBuilds ?? true,
    environment: options.environment ?? {},
    functionPolicyStatements: options.functionPolicyStatements ?? [],
  };

  const problems = findProblems(settings);
  if (problems.length > 0) {
    throw new Error([
      'Invalid options for ServerlessServiceProject in .projenrc.ts (nothing was written):',
      ...problems.map((problem) => `  - ${problem}`),
    ].join('\n'));
  }
  return settings;
}

/** An option that still holds a placeholder: its path in `.projenrc.ts`, and the value to show beside it, if any. */
export interface Placeholder {
  readonly option: string;
  readonly value?: string;
}

/** The options that still hold a placeholder. A service with any of these can be built and tested, but not deployed. */
export function findPlaceholders(settings: ServiceSettings): Placeholder[] {
  const found: Placeholder[] = [];
  if (settings.pipelineAccount === PLACEHOLDERS.pipelineAccount) {
    found.push({ option: 'pipelineAccount', value: settings.pipelineAccount });
  }
  if (settings.source.owner === PLACEHOLDERS.owner) {
    found.push({ option: 'sourceRepository.owner', value: settings.source.owner });
  }
  if (settings.source.connectionArn === PLACEHOLDERS.connectionArn) {
    found.push({ option: 'sourceRepository.connectionArn' });
  }
  const placeholderAccounts: readonly string[] = [PLACEHOLDERS.pipelineAccount, ...PLACEHOLDERS.stageAccounts];
  settings.stages.forEach((stage, i) => {
    if (placeholderAccounts.includes(stage.account)) {
      found.push({ option: `stages[${i}].account`, value: `${stage.name}: ${stage.account}` });
    }
  });
  return found;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
// Short enough for "<service>-<stage>-rollback" to fit Lambda's 64-character function names.
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,29}$/;
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,19}$/;
const STEP_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REPOSITORY_PART = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;
// git check-ref-format, in short: no spaces, control characters, "..", "~^:?*[\", "@{", leading or trailing "/" or ".lock".
const BAD_BRANCH = /[\s~^:?*[\\\x00-\x1f\x7f]|\.\.|@\{|^\/|\/$|\/\/|\.lock$|^$/;

function findProblems(settings: ServiceSettings): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };

  check(SERVICE_NAME.test(settings.serviceName),
    `'serviceName' must be 1 to 30 lower-case letters, digits or hyphens, starting with a letter, got "${settings.serviceName}". ` +
    'Set serviceName explicitly, e.g. serviceName: \'orders\'.');
  check(ACCOUNT.test(settings.pipelineAccount),
    `'pipelineAccount' must be a 12-digit AWS account id, got "${settings.pipelineAccount}".`);
  check(REGION.test(settings.pipelineRegion),
    `'pipelineRegion' must be an AWS region such as "eu-west-1", got "${settings.pipelineRegion}".`);
  check(REPOSITORY_PART.test(settings.source.owner),
    `'sourceRepository.owner' must be an organisation, user or group name, got "${settings.source.owner}".`);
  check(/^[A-Za-z0-9_.-]+$/.test(settings.source.repository),
    `'sourceRepository.name' must be a repository name without slashes, got "${settings.source.repository}".`);
  check(!BAD_BRANCH.test(settings.source.branch),
    `'sourceRepository.branch' must be a valid git branch name, got "${settings.source.branch}".`);
  const { provider, repositoryUrl } = settings.source;
  if (repositoryUrl !== undefined) {
    check(/^https:\/\/[^\s/]+\/\S+$/.test(repositoryUrl),
      `'sourceRepository.repositoryUrl' must be the repository's HTTPS clone URL, such as https://git.example.com/acme/orders.git, got "${repositoryUrl}".`);
  } else {
    check(provider !== SourceProvider.GITHUB_ENTERPRISE || !settings.pullRequestBuilds,
      '\'sourceRepository.repositoryUrl\' is required with provider GITHUB_ENTERPRISE: pull-request builds clone from your own host '
      + '(its HTTPS clone URL, such as https://git.example.com/acme/orders.git), or set pullRequestBuilds to false.');
  }
  check(CONNECTION_ARN.test(settings.source.connectionArn),
    `'sourceRepository.connectionArn' must be a connection ARN such as arn:aws:codeconnections:REGION:ACCOUNT:connection/ID, got "${settings.source.connectionArn}".`);

  check(settings.stages.length > 0, '\'stages\' must list at least one stage to deploy to.');
  const seen = new Set<string>();
  settings.stages.forEach((stage, i) => {
    const at = `stages[${i}]`;
    const name = String(stage.name ?? '');
    check(STAGE_NAME.test(name),
      `'${at}.name' must start with a letter and hold at most 20 letters, digits or hyphens, got "${stage.name}".`);
    check(!seen.has(name.toLowerCase()),
      `'${at}.name' repeats the stage name "${name}": every stage needs its own name.`);
    seen.add(name.toLowerCase());
    check(ACCOUNT.test(stage.account ?? ''),
      `'${at}.account' must be a 12-digit AWS account id, got "${stage.account}".`);
    check(REGION.test(stage.region),
      `'${at}.region' must be an AWS region such as "eu-west-1", got "${stage.region}".`);
    // Checked as the stage deploys: with its profile's defaults and the service-wide variables.
    problems.push(...stageSettingsProblems(deployedStageProps(stage, i, settings.stages.length, settings.environment), `${at}.`, stage.region));
    const stepNames = new Set<string>();
    for (const [list, steps] of [['stepsBefore', stage.stepsBefore], ['stepsAfter', stage.stepsAfter]] as const) {
      (steps ?? []).forEach((step, j) => {
        const where = `${at}.${list}[${j}]`;
        check(STEP_NAME.test(step.name ?? '') && !stepNames.has(step.name),
          `'${where}.name' must be a name of letters, digits and hyphens, unique in the stage, got "${step.name}".`);
        stepNames.add(step.name);
        check(Array.isArray(step.commands) && step.commands.length > 0,
          `'${where}.commands' must list at least one shell command.`);
      });
    }
  });

  settings.functionPolicyStatements.forEach((statement, i) => {
    const where = `functionPolicyStatements[${i}]`;
    const actions = statement.actions ?? [];
    check(actions.length > 0 && actions.every((action) => IAM_ACTION.test(action)),
      `'${where}.actions' must name actions as service:Action (no bare "*"), got ${JSON.stringify(actions)}.`);
    check((statement.resources ?? []).length > 0,
      `'${where}.resources' must list the ARNs the actions are allowed on.`);
  });

  const { emailSubscribers, slackWorkspaceId, slackChannelId } = settings.notifications;
  emailSubscribers.forEach((email, i) => check(EMAIL.test(email),
    `'notifications.emailSubscribers[${i}]' must be an email address, got "${email}".`));
  check(!slackWorkspaceId === !slackChannelId,
    '\'notifications.slackWorkspaceId\' and \'notifications.slackChannelId\' go together: set both for Slack, or neither.');
  return problems;
}
