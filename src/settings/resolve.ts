import { DEFAULT_HEALTH_PATH, DEFAULT_REGION, PLACEHOLDER_VALUES, PLACEHOLDERS } from './constants';
import { SourceProvider, StageProfile } from './enums';
import { DeploymentStageOptions, FunctionPolicyStatementProps, PipelineStepProps, PreviewOptions, ServiceSettings } from './service-settings';
import { deployedStageProps } from './stage-defaults';
import { StageSettingsProps } from './stage-settings';

/** One stage with its place in the pipeline applied. */
export interface ResolvedStage {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly manualApproval: boolean;
  readonly stepsBefore: PipelineStepProps[];
  readonly stepsAfter: PipelineStepProps[];
  readonly deploymentWindow?: { readonly cron: string; readonly timeZone: string };
  readonly bakeTimeMinutes: number;
  /** False for the first stage, which has no previous one. */
  readonly previousStageAlarmGate: boolean;
  /** The settings it deploys with: its profile defaulting from its place, the service-wide variables under its own. */
  readonly settings: StageSettingsProps;
}

/** A service's settings with every default applied (placeholders included), still unchecked. */
export interface ResolvedServiceSettings {
  readonly serviceName: string;
  readonly sourceRepository: {
    readonly owner: string;
    readonly name: string;
    readonly branch: string;
    readonly connectionArn: string;
    readonly provider: SourceProvider;
    readonly repositoryUrl?: string;
  };
  readonly pipelineAccount: string;
  readonly pipelineRegion: string;
  readonly stages: ResolvedStage[];
  readonly notifications: {
    readonly emailSubscribers: string[];
    readonly slackWorkspaceId?: string;
    readonly slackChannelId?: string;
  };
  readonly pullRequestBuilds: boolean;
  readonly functionPolicyStatements: FunctionPolicyStatementProps[];
  readonly healthPath: string;
  readonly packageRegistry?: ResolvedPackageRegistry;
  readonly nagChecks: boolean;
  /** The previews of pull requests; undefined when off. */
  readonly previews?: ResolvedPreviews;
}

/** Previews as the pipeline builds them. */
export interface ResolvedPreviews {
  /** The stage previews and sandboxes are copies of, in whose account and region they deploy. */
  readonly hostStage: ResolvedStage;
  readonly maxConcurrent: number;
  readonly maxAgeDays: number;
}

/** Where builds install private packages from, with its defaults applied. */
export interface ResolvedPackageRegistry {
  readonly codeArtifact?: { readonly domain: string; readonly domainOwner: string; readonly repository: string; readonly region: string };
  readonly npmRegistryUrl?: string;
  readonly npmTokenSecretArn?: string;
  readonly scope?: string;
}

/** dev, staging, then prod after an approval, each in a placeholder account. */
export const DEFAULT_STAGES: DeploymentStageOptions[] = [
  { name: 'dev', account: PLACEHOLDERS.stageAccounts[0] },
  { name: 'staging', account: PLACEHOLDERS.stageAccounts[1] },
  { name: 'prod', account: PLACEHOLDERS.stageAccounts[2], manualApproval: true },
];

/**
 * Applies the defaults every setting documents. The project type and the constructs both call
 * this, so a setting means the same in `.projenrc.ts` and in `ServicePipelineStack`.
 */
export function resolveServiceSettings(settings: ServiceSettings): ResolvedServiceSettings {
  const serviceName = settings.serviceName ?? '';
  const pipelineRegion = settings.pipelineRegion ?? DEFAULT_REGION;
  const stages = settings.stages ?? DEFAULT_STAGES;
  const source = settings.sourceRepository ?? {};
  const resolved: Omit<ResolvedServiceSettings, 'previews'> = {
    serviceName,
    sourceRepository: {
      owner: source.owner ?? PLACEHOLDERS.owner,
      name: source.name ?? serviceName,
      branch: source.branch ?? 'main',
      connectionArn: source.connectionArn ?? PLACEHOLDERS.connectionArn,
      provider: source.provider ?? SourceProvider.GITHUB,
      repositoryUrl: source.repositoryUrl,
    },
    pipelineAccount: settings.pipelineAccount ?? PLACEHOLDERS.pipelineAccount,
    pipelineRegion,
    stages: stages.map((stage, index) => {
      const {
        name, account, region, manualApproval, stepsBefore, stepsAfter, deploymentWindow, bakeTimeMinutes, previousStageAlarmGate, ...own
      } = stage;
      return {
        name,
        account,
        region: region ?? pipelineRegion,
        manualApproval: manualApproval ?? false,
        stepsBefore: stepsBefore ?? [],
        stepsAfter: stepsAfter ?? [],
        deploymentWindow: deploymentWindow && { cron: deploymentWindow.cron, timeZone: deploymentWindow.timeZone ?? 'UTC' },
        bakeTimeMinutes: bakeTimeMinutes ?? 0,
        previousStageAlarmGate: index > 0 && (previousStageAlarmGate ?? true),
        settings: deployedStageProps(own, index, stages.length, settings.environment),
      };
    }),
    notifications: {
      emailSubscribers: settings.notifications?.emailSubscribers ?? [],
      slackWorkspaceId: settings.notifications?.slackWorkspaceId,
      slackChannelId: settings.notifications?.slackChannelId,
    },
    pullRequestBuilds: settings.pullRequestBuilds ?? true,
    functionPolicyStatements: settings.functionPolicyStatements ?? [],
    healthPath: settings.healthPath ?? DEFAULT_HEALTH_PATH,
    packageRegistry: settings.packageRegistry && {
      ...settings.packageRegistry,
      codeArtifact: settings.packageRegistry.codeArtifact && {
        ...settings.packageRegistry.codeArtifact,
        region: settings.packageRegistry.codeArtifact.region ?? pipelineRegion,
      },
    },
    nagChecks: settings.nagChecks ?? true,
  };
  return { ...resolved, previews: resolvePreviews(settings.previews, resolved.stages) };
}

/**
 * The stage previews and sandboxes copy: the first with the DEVELOPMENT profile. Undefined when no
 * stage has it; the checks then refuse previews asked for explicitly.
 */
export function previewHostStage(stages: ResolvedStage[]): ResolvedStage | undefined {
  return stages.find((stage) => stage.settings.profile === StageProfile.DEVELOPMENT);
}

function resolvePreviews(options: PreviewOptions | undefined, stages: ResolvedStage[]): ResolvedPreviews | undefined {
  const hostStage = previewHostStage(stages);
  if (!hostStage || options?.enabled === false) return undefined;
  return { hostStage, maxConcurrent: options?.maxConcurrent ?? 10, maxAgeDays: options?.maxAgeDays ?? 7 };
}

/** An option that still holds a placeholder: its path in the settings, and the value to show beside it, if any. */
export interface Placeholder {
  readonly option: string;
  readonly value?: string;
}

/** The settings that still hold a placeholder. A service with any of these can be built and tested, but not deployed. */
export function findPlaceholders(settings: ResolvedServiceSettings): Placeholder[] {
  const found: Placeholder[] = [];
  if (settings.pipelineAccount === PLACEHOLDERS.pipelineAccount) {
    found.push({ option: 'pipelineAccount', value: settings.pipelineAccount });
  }
  if (settings.sourceRepository.owner === PLACEHOLDERS.owner) {
    found.push({ option: 'sourceRepository.owner', value: settings.sourceRepository.owner });
  }
  if (settings.sourceRepository.connectionArn === PLACEHOLDERS.connectionArn) {
    found.push({ option: 'sourceRepository.connectionArn' });
  }
  settings.stages.forEach((stage, i) => {
    if (PLACEHOLDER_VALUES.has(stage.account)) {
      found.push({ option: `stages[${i}].account`, value: `${stage.name}: ${stage.account}` });
    }
  });
  return found;
}

/** Every field of `ServiceSettings`: the compiler fails here when one is added without being listed. */
const SETTING_NAMES: { readonly [name in keyof Required<ServiceSettings>]: true } = {
  serviceName: true,
  sourceRepository: true,
  pipelineAccount: true,
  pipelineRegion: true,
  stages: true,
  notifications: true,
  pullRequestBuilds: true,
  environment: true,
  functionPolicyStatements: true,
  healthPath: true,
  packageRegistry: true,
  nagChecks: true,
  previews: true,
};

/** The service's settings among a larger set of options (such as the project's), as given. */
export function pickServiceSettings(options: ServiceSettings): ServiceSettings {
  return Object.fromEntries(Object.keys(SETTING_NAMES)
    .filter((name) => (options as Record<string, unknown>)[name] !== undefined)
    .map((name) => [name, (options as Record<string, unknown>)[name]]));
}
