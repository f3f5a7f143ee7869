import { StackProps } from 'aws-cdk-lib';
import { SourceProvider } from './pull-request-build';
import { FunctionPolicyStatementProps, IServiceExtension, PipelineStepProps } from './service-extension';
import { SlackChannelProps } from './service-notifications';
import { StageSettingsProps } from './stage-settings';

/**
 * The repository the pipeline builds from.
 */
export interface PipelineSourceProps {
  /**
   * Owner of the repository (organisation, user, workspace or group).
   */
  readonly owner: string;

  /**
   * Name of the repository.
   */
  readonly repository: string;

  /**
   * Branch whose commits are released.
   */
  readonly branch: string;

  /**
   * ARN of the CodeConnections (or CodeStar Connections) connection to the repository.
   */
  readonly connectionArn: string;

  /**
   * Where the repository is hosted; decides the source type of pull-request builds.
   *
   * @default SourceProvider.GITHUB
   */
  readonly provider?: SourceProvider;

  /**
   * HTTPS clone URL of the repository, for pull-request builds; required with `SourceProvider.GITHUB_ENTERPRISE`.
   *
   * @default - https://<github.com|bitbucket.org|gitlab.com>/<owner>/<repository>.git
   */
  readonly repositoryUrl?: string;
}

/**
 * One stage of the pipeline, with its settings.
 */
export interface PipelineStageProps extends StageSettingsProps {
  /**
   * Name of the stage; the construct id of its CDK Stage.
   */
  readonly name: string;

  /**
   * AWS account id the stage deploys to.
   */
  readonly account: string;

  /**
   * AWS region the stage deploys to.
   */
  readonly region: string;

  /**
   * Whether a person approves in the pipeline before the stage deploys.
   *
   * @default false
   */
  readonly manualApproval?: boolean;

  /**
   * Extra steps run before the stage deploys (after its approval, if any).
   *
   * @default - none
   */
  readonly stepsBefore?: PipelineStepProps[];

  /**
   * Extra steps run after the stage's acceptance tests pass.
   *
   * @default - none
   */
  readonly stepsAfter?: PipelineStepProps[];
}

/**
 * Properties of a `ServicePipelineStack`.
 */
export interface ServicePipelineStackProps extends StackProps {
  /**
   * Short name of the service.
   */
  readonly serviceName: string;

  /**
   * The repository the pipeline builds from.
   */
  readonly source: PipelineSourceProps;

  /**
   * The stages to deploy to, in order.
   */
  readonly stages: PipelineStageProps[];

  /**
   * Folder holding the bundled Lambda handler, as the synth step leaves it.
   */
  readonly lambdaCodePath: string;

  /**
   * Node.js major version of the CodeBuild steps.
   *
   * @default "22"
   */
  readonly nodeVersion?: string;

  /**
   * Email addresses told of pipeline failures and alarms.
   *
   * @default - none
   */
  readonly notificationEmails?: string[];

  /**
   * Slack channel (through AWS Chatbot) told of pipeline failures and alarms.
   *
   * @default - none
   */
  readonly slackChannel?: SlackChannelProps;

  /**
   * Whether pull requests to the branch run a test-only build that reports its status on the pull request.
   *
   * @default true
   */
  readonly pullRequestBuilds?: boolean;

  /**
   * Extra environment variables of the function in every stage (a stage's own win).
   *
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Extra permissions of the function in every stage.
   *
   * @default - none beyond writing its logs
   */
  readonly functionPolicyStatements?: FunctionPolicyStatementProps[];

  /**
   * The service's own additions to its stages and pipeline, in code.
   *
   * @default - none
   */
  readonly extension?: IServiceExtension;

  /**
   * Whether synthesis runs cdk-nag's AwsSolutions rules over every stack of the app (pipeline and stages) and fails on any unacknowledged error.
   *
   * Acknowledge a finding of your own resources with
   * `Validations.of(construct).acknowledge({ id: 'AwsSolutions-XXX', reason })`.
   *
   * @default true
   */
  readonly nagChecks?: boolean;
}
