import { Stack, StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { AcceptanceRollback } from './acceptance-rollback';
import { PullRequestBuild, SourceProvider } from './pull-request-build';
import { FunctionPolicyStatementProps, IServiceExtension, PipelineStepProps } from './service-extension';
import { ServiceNotifications, SlackChannelProps } from './service-notifications';
import { ServiceStack } from './service-stack';
import { ServiceStage } from './service-stage';
import { defaultProfile } from './private/resolve-stage-settings';
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
}

/**
 * The service's own delivery pipeline: source, build (the service's projen build:
 * compile, lint, tests, bundle and synth), self-mutation, then each stage in order,
 * each with an optional manual approval before it and the acceptance tests after it.
 */
export class ServicePipelineStack extends Stack {
  /**
   * Runs the acceptance tests; when they fail, sends the stage's traffic back to the
   * previous version (through the stage's rollback function) and fails the step, which stops the pipeline.
   */
  public static readonly ACCEPTANCE_TESTS_OR_ROLLBACK = 'npx projen test:acceptance || { '
    + 'echo "Acceptance tests failed: sending traffic back to the previous version."; '
    + 'aws lambda invoke --region "$ROLLBACK_REGION" --function-name "$ROLLBACK_FUNCTION_ARN" '
    + '--cli-binary-format raw-in-base64-out --payload \'{}\' rollback-result.json; '
    + 'cat rollback-result.json; exit 1; }';

  /** The pipeline. */
  public readonly pipeline: pipelines.CodePipeline;

  /** The stages, in deployment order. */
  public readonly serviceStages: ServiceStage[];

  /** Where pipeline failures and the stages' alarms are sent. */
  public readonly notifications: ServiceNotifications;

  /** The test-only build of pull requests, when enabled. */
  public readonly pullRequestBuild?: PullRequestBuild;

  constructor(scope: Construct, id: string, props: ServicePipelineStackProps) {
    super(scope, id, props);

    if (props.stages.length === 0) {
      throw new Error('ServicePipelineStack needs at least one stage to deploy to.');
    }

    const { owner, repository, branch, connectionArn } = props.source;
    const source = pipelines.CodePipelineSource.connection(`${owner}/${repository}`, branch, { connectionArn });
    const installCommands = ['npm ci'];

    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: `${props.serviceName}-pipeline`,
      // Artifacts must be readable in the stage accounts when they are not the pipeline's.
      crossAccountKeys: props.stages.some((stage) => stage.account !== this.account),
      selfMutation: true,
      synth: new pipelines.ShellStep('Synth', {
        input: source,
        installCommands,
        commands: ['npx projen build'],
        primaryOutputDirectory: 'cdk.out',
      }),
      codeBuildDefaults: {
        buildEnvironment: {
          buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
          environmentVariables: {
            CDK_DISABLE_CLI_TELEMETRY: { value: 'true' },
          },
        },
        partialBuildSpec: codebuild.BuildSpec.fromObject({
          phases: { install: { 'runtime-versions': { nodejs: props.nodeVersion ?? '22' } } },
        }),
      },
    });

    this.serviceStages = props.stages.map((stageProps, index) => {
      const { name, account, region, manualApproval, stepsBefore, stepsAfter, ...settings } = stageProps;
      const stage = new ServiceStage(this, name, {
        serviceName: props.serviceName,
        lambdaCodePath: props.lambdaCodePath,
        env: { account, region },
        settings: {
          ...settings,
          profile: settings.profile ?? defaultProfile(index, props.stages.length),
          environment: { ...props.environment, ...settings.environment },
        },
        policyStatements: props.functionPolicyStatements,
        pipelineAccount: this.account,
        pipelineRegion: this.region,
      });
      props.extension?.extendStage(stage);
      const extraStep = (step: PipelineStepProps) => new pipelines.ShellStep(step.name, { input: source, installCommands, commands: step.commands });
      const rollbackFunctionArn = AcceptanceRollback.functionArn(stage.serviceStack, ServiceStack.rollbackFunctionName(props.serviceName, name));
      // Pre and post steps would run side by side: sequence them (approval first, acceptance tests before extra steps).
      this.pipeline.addStage(stage, {
        pre: pipelines.Step.sequence([
          ...manualApproval
            ? [new pipelines.ManualApprovalStep(`Approve-${name}`, { comment: `Release ${props.serviceName} to ${name}?` })]
            : [],
          ...(stepsBefore ?? []).map(extraStep),
        ]),
        post: pipelines.Step.sequence([
          new pipelines.CodeBuildStep('AcceptanceTests', {
            input: source,
            envFromCfnOutputs: { SERVICE_URL: stage.apiUrlOutput },
            env: { ROLLBACK_FUNCTION_ARN: rollbackFunctionArn, ROLLBACK_REGION: region },
            installCommands,
            commands: [ServicePipelineStack.ACCEPTANCE_TESTS_OR_ROLLBACK],
            rolePolicyStatements: [new iam.PolicyStatement({
              actions: ['lambda:InvokeFunction'],
              resources: [rollbackFunctionArn],
            })],
          }),
          ...(stepsAfter ?? []).map(extraStep),
        ]),
      });
      return stage;
    });

    props.extension?.extendPipeline(this.pipeline);
    this.pipeline.buildPipeline();
    this.notifications = new ServiceNotifications(this, 'Notifications', {
      serviceName: props.serviceName,
      pipeline: this.pipeline.pipeline,
      stageAccounts: props.stages.map((stage) => stage.account),
      emailSubscribers: props.notificationEmails,
      slackChannel: props.slackChannel,
    });

    if (props.pullRequestBuilds ?? true) {
      this.pullRequestBuild = new PullRequestBuild(this, 'PullRequestBuild', {
        serviceName: props.serviceName,
        owner,
        repository,
        branch,
        connectionArn,
        provider: props.source.provider,
        nodeVersion: props.nodeVersion,
      });
    }
  }
}
