import { SourceProvider } from './enums';
import { StageSettingsProps } from './stage-settings';

/**
 * Where the service's source lives: the pipeline starts from every push to its branch.
 */
export interface SourceRepositoryOptions {
  /**
   * Owner of the repository: the GitHub organisation or user, Bitbucket workspace or GitLab group.
   *
   * @default - a placeholder; deploying is refused until it is set
   */
  readonly owner?: string;

  /**
   * Name of the repository.
   *
   * @default - the service name
   */
  readonly name?: string;

  /**
   * Branch whose commits are released to the stages.
   *
   * @default "main"
   */
  readonly branch?: string;

  /**
   * ARN of the AWS CodeConnections (or CodeStar Connections) connection that gives the
   * pipeline access to the repository. Create it once per account in the console and
   * approve it there; the ARN looks like
   * `arn:aws:codeconnections:REGION:ACCOUNT:connection/ID`.
   *
   * @default - a placeholder; deploying is refused until it is set
   */
  readonly connectionArn?: string;

  /**
   * Where the repository is hosted (decides how pull requests are built).
   *
   * @default SourceProvider.GITHUB
   */
  readonly provider?: SourceProvider;

  /**
   * HTTPS clone URL of the repository, which pull-request builds fetch; required with
   * `SourceProvider.GITHUB_ENTERPRISE` (pull-request builds on), where the host is your own.
   *
   * @default - https://<github.com|bitbucket.org|gitlab.com>/<owner>/<name>.git
   */
  readonly repositoryUrl?: string;
}

/**
 * A CodeBuild step the pipeline runs before or after a stage's deployment, from the
 * service's source with its dependencies installed.
 */
export interface PipelineStepProps {
  /**
   * Name of the step (letters, digits and hyphens), shown in the pipeline.
   */
  readonly name: string;

  /**
   * Shell commands, run in order; the step fails when one fails.
   */
  readonly commands: string[];
}

/**
 * When a stage may be deployed: a release reaching the stage outside the window waits for it.
 */
export interface DeploymentWindowOptions {
  /**
   * When deploying is allowed, as CodePipeline's cron expression: six fields (seconds, which
   * must be `*`, minutes, hours, day of month, month, day of week; one of the two days `?`) and
   * an optional year, such as `* * 9-16 ? * MON-THU` for Monday to Thursday, 9:00 to 16:59.
   */
  readonly cron: string;

  /**
   * Time zone of the cron expression: an IANA name such as `Europe/Berlin`, or `UTC`.
   *
   * @default "UTC"
   */
  readonly timeZone?: string;
}

/**
 * One environment the pipeline deploys the service to, in order, with its settings
 * (memory, timeout, logs, throttling, CORS, deployment strategy, tracing: see `StageSettingsProps`).
 * Unset settings come from the stage's profile: by default the first stage is DEVELOPMENT,
 * the last PRODUCTION and the ones between PRE_PRODUCTION.
 */
export interface DeploymentStageOptions extends StageSettingsProps {
  /**
   * Name of the stage, such as "dev" or "prod". Used in construct ids and stack names,
   * so it must start with a letter and hold only letters, digits and hyphens.
   */
  readonly name: string;

  /**
   * AWS account id (12 digits) the stage deploys to.
   */
  readonly account: string;

  /**
   * AWS region the stage deploys to.
   *
   * @default - the pipeline region
   */
  readonly region?: string;

  /**
   * Whether a person must approve in the pipeline before this stage deploys.
   *
   * @default false
   */
  readonly manualApproval?: boolean;

  /**
   * Extra pipeline steps run before this stage deploys (after its approval, if any).
   *
   * @default - none
   */
  readonly stepsBefore?: PipelineStepProps[];

  /**
   * Extra pipeline steps run after this stage's acceptance tests pass.
   *
   * @default - none
   */
  readonly stepsAfter?: PipelineStepProps[];

  /**
   * When the stage may be deployed; a release reaching it outside the window waits.
   *
   * @default - any time
   */
  readonly deploymentWindow?: DeploymentWindowOptions;

  /**
   * Minutes the stage's alarms must stay out of ALARM after its deployment and acceptance
   * tests, before the release goes on (1 to 120); an alarm in that time fails the stage, which
   * rolls it back. A CodeBuild step waits and watches, billed by the minute.
   *
   * @default - no bake time
   */
  readonly bakeTimeMinutes?: number;

  /**
   * Whether a release enters this stage only while no alarm of the previous stage is in ALARM;
   * otherwise it stops there without deploying. The first stage has no previous stage.
   *
   * @default true
   */
  readonly previousStageAlarmGate?: boolean;
}

/**
 * Where pipeline failures and alarm state changes are sent, besides the service's SNS topic.
 */
export interface NotificationOptions {
  /**
   * Email addresses subscribed to the topic (each confirms once by email).
   *
   * @default - none
   */
  readonly emailSubscribers?: string[];

  /**
   * Slack workspace id for AWS Chatbot (authorize the workspace once in the Chatbot console).
   *
   * @default - no Slack channel
   */
  readonly slackWorkspaceId?: string;

  /**
   * Slack channel id for AWS Chatbot; needs `slackWorkspaceId`.
   *
   * @default - no Slack channel
   */
  readonly slackChannelId?: string;
}

/**
 * An IAM statement the service's function is allowed (Allow only; name exact actions).
 */
export interface FunctionPolicyStatementProps {
  /**
   * Actions, such as `dynamodb:GetItem`.
   */
  readonly actions: string[];

  /**
   * Resource ARNs the actions are allowed on.
   */
  readonly resources: string[];
}

/**
 * An AWS CodeArtifact repository the builds install npm packages from.
 */
export interface CodeArtifactRepositoryOptions {
  /**
   * Name of the CodeArtifact domain.
   */
  readonly domain: string;

  /**
   * AWS account id (12 digits) that owns the domain.
   */
  readonly domainOwner: string;

  /**
   * Name of the repository in the domain.
   */
  readonly repository: string;

  /**
   * Region of the domain.
   *
   * @default - the pipeline region
   */
  readonly region?: string;
}

/**
 * Where every build of the service (the pipeline's Build, acceptance tests and extra steps, and
 * pull-request builds) installs private npm packages from, this template package among them.
 * Give either `codeArtifact`, or `npmRegistryUrl` with `npmTokenSecretArn`.
 */
export interface PackageRegistryOptions {
  /**
   * An AWS CodeArtifact repository; builds log in with `aws codeartifact login`.
   *
   * @default - not CodeArtifact
   */
  readonly codeArtifact?: CodeArtifactRepositoryOptions;

  /**
   * URL of an npm registry, such as `https://npm.example.com/api/npm/private/`.
   *
   * @default - not an npm registry URL
   */
  readonly npmRegistryUrl?: string;

  /**
   * ARN of the AWS Secrets Manager secret whose value is the token of `npmRegistryUrl`.
   *
   * @default - required with npmRegistryUrl
   */
  readonly npmTokenSecretArn?: string;

  /**
   * The npm scope served by the registry, such as `@org`; the others come from the public registry.
   *
   * @default - every package comes from the registry (it proxies the public one)
   */
  readonly scope?: string;
}

/**
 * The settings of a service and its delivery pipeline: the options of `ServerlessServiceProject`
 * in `.projenrc.ts`, passed unchanged to `ServicePipelineStack`, which applies the same defaults
 * and refuses the same bad values.
 */
export interface ServiceSettings {
  /**
   * Short name of the service, used in stack, pipeline and resource names.
   * Lower-case letters, digits and hyphens.
   *
   * @default - in a project, the package name without its npm scope; required by `ServicePipelineStack`
   */
  readonly serviceName?: string;

  /**
   * The repository the pipeline builds from.
   *
   * @default - placeholders for owner and connection; the service name as repository; branch "main"
   * @featured
   */
  readonly sourceRepository?: SourceRepositoryOptions;

  /**
   * AWS account id of the tooling account that hosts the pipeline.
   *
   * @default - a placeholder; deploying is refused until it is set
   * @featured
   */
  readonly pipelineAccount?: string;

  /**
   * AWS region of the pipeline, and of every stage that names no region.
   *
   * @default "us-east-1"
   * @featured
   */
  readonly pipelineRegion?: string;

  /**
   * The stages the pipeline deploys to, in order. Each may be in its own account and region.
   *
   * @default - dev, staging, then prod after a manual approval, each in a placeholder account
   * @featured
   */
  readonly stages?: DeploymentStageOptions[];

  /**
   * Who hears about pipeline failures and alarms.
   *
   * @default - the SNS topic is created with no subscriber
   * @featured
   */
  readonly notifications?: NotificationOptions;

  /**
   * Whether pull requests to the release branch run a test-only build (`buildspec.yml`)
   * that reports its status on the pull request.
   *
   * @default true
   */
  readonly pullRequestBuilds?: boolean;

  /**
   * Extra environment variables of the function in every stage (a stage's own `environment` wins).
   *
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Extra permissions of the function in every stage. Name exact actions and resources.
   *
   * @default - none beyond writing its logs
   */
  readonly functionPolicyStatements?: FunctionPolicyStatementProps[];

  /**
   * The route CodeDeploy's pre-traffic hook calls on every new version before it receives
   * traffic; the generated app answers it with 200 `{"status":"ok"}`.
   *
   * @default "/api/v1/health"
   */
  readonly healthPath?: string;

  /**
   * Where builds install private npm packages from, such as this template package (published by
   * the platform team to its own registry).
   *
   * @default - the public npm registry only
   */
  readonly packageRegistry?: PackageRegistryOptions;

  /**
   * Whether synthesis runs cdk-nag's AwsSolutions rules over every stack of the app (pipeline
   * and stages) and fails on any unacknowledged error. Acknowledge a finding of your own
   * resources with `Validations.of(construct).acknowledge({ id: 'AwsSolutions-XXX', reason })`.
   *
   * @default true
   */
  readonly nagChecks?: boolean;

  /**
   * A live copy of the service for every pull request (`<service>-pr-<number>`, in the dev
   * stage's account and region), deployed on every push, acceptance-tested and destroyed when the
   * pull request is merged or closed; the same account holds the developers' sandboxes.
   *
   * @default - previews on, with their defaults, when a stage has the DEVELOPMENT profile
   */
  readonly previews?: PreviewOptions;
}

/**
 * The previews of pull requests: when they deploy, how many may live at once, how long.
 */
export interface PreviewOptions {
  /**
   * Whether pull requests get previews. Needs a stage with the DEVELOPMENT profile (by default,
   * the first of two or more): previews deploy into its account and region.
   *
   * @default - true when a stage has the DEVELOPMENT profile
   */
  readonly enabled?: boolean;

  /**
   * How many previews may exist at once; a pull request beyond them gets a failed preview status
   * saying so, until another preview is destroyed.
   *
   * @default 10
   */
  readonly maxConcurrent?: number;

  /**
   * Age in days after which the daily sweeper destroys a preview not deployed since (a preview
   * whose pull request closed while its destroy event was missed goes this way too).
   *
   * @default 7
   */
  readonly maxAgeDays?: number;
}
