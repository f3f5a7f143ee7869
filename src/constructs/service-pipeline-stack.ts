import { Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { AcceptanceRollback } from './acceptance-rollback';
import { enableNagChecks } from './private/nag';
import { hardenPipeline } from './private/pipeline-hardening';
import { deployedStageProps } from './private/resolve-stage-settings';
import { PullRequestBuild } from './pull-request-build';
import { PipelineStepProps } from './service-extension';
import { ServiceNotifications } from './service-notifications';
import { ServicePipelineStackProps } from './service-pipeline-props';
import { ServiceStack } from './service-stack';
import { ServiceStage } from './service-stage';

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
      // A customer-managed, rotating key for the artifacts (the deployable code and templates),
      // also where every stage is in the pipeline's account; stage accounts need it to read them.
      crossAccountKeys: true,
      enableKeyRotation: true,
      selfMutation: true,
      // One CodeBuild action publishes every file asset (the bundle, the hook and rollback functions)
      // instead of one action each: fewer build starts and minutes per release.
      publishAssetsInParallel: false,
      synth: new pipelines.ShellStep('Synth', {
        input: source,
        installCommands,
        // The service's audit task stops a release that would ship a known high or critical vulnerability.
        commands: ['npx projen audit', 'npx projen build'],
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
        settings: deployedStageProps(settings, index, props.stages.length, props.environment),
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

    hardenPipeline(this.pipeline);
    if (props.nagChecks ?? true) enableNagChecks(this);

    if (props.pullRequestBuilds ?? true) {
      this.pullRequestBuild = new PullRequestBuild(this, 'PullRequestBuild', {
        serviceName: props.serviceName,
        owner,
        repository,
        branch,
        connectionArn,
        provider: props.source.provider,
        repositoryUrl: props.source.repositoryUrl,
        nodeVersion: props.nodeVersion,
      });
    }
  }
}
