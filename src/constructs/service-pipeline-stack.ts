import * as fs from 'fs';
import { Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { AcceptanceRollback } from './acceptance-rollback';
import { enableNagChecks } from './private/nag';
import { hardenPipeline } from './private/pipeline-hardening';
import { PullRequestBuild } from './pull-request-build';
import { ServiceNotifications } from './service-notifications';
import { ServicePipelineStackProps } from './service-pipeline-props';
import { ServiceStack } from './service-stack';
import { ServiceStage } from './service-stage';
import { BUILD_COMMANDS, BUILD_NODE_VERSION, pipelineStackName } from '../settings/constants';
import { serviceSettingsProblems, settingsError } from '../settings/problems';
import { resolveServiceSettings } from '../settings/resolve';
import { PipelineStepProps, ServiceSettings } from '../settings/service-settings';

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

  /**
   * Reads the settings a generated service's CDK app passes on: the JSON file the project type
   * writes from `.projenrc.ts` (`src/service-settings.generated.json`). Their values are
   * checked by the constructor, as `.projenrc.ts` checks them.
   */
  public static readSettings(file: string): ServiceSettings {
    const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
    // projen's marker, the one key of a generated JSON file that is not a setting.
    delete settings['//'];
    return settings;
  }

  /** The pipeline. */
  public readonly pipeline: pipelines.CodePipeline;

  /** The stages, in deployment order. */
  public readonly serviceStages: ServiceStage[];

  /** Where pipeline failures and the stages' alarms are sent. */
  public readonly notifications: ServiceNotifications;

  /** The test-only build of pull requests, when enabled. */
  public readonly pullRequestBuild?: PullRequestBuild;

  constructor(scope: Construct, id: string, props: ServicePipelineStackProps) {
    // Without env, the stack deploys where the settings say; with it, they must agree.
    const given: ServiceSettings = {
      ...props,
      pipelineAccount: props.pipelineAccount ?? props.env?.account,
      pipelineRegion: props.pipelineRegion ?? props.env?.region,
    };
    const problems = [...serviceSettingsProblems(given), ...environmentProblems(props)];
    if (problems.length > 0) throw settingsError('Invalid settings for ServicePipelineStack:', problems);
    const settings = resolveServiceSettings(given);
    super(scope, id, { ...props, env: props.env ?? { account: settings.pipelineAccount, region: settings.pipelineRegion } });

    const { owner, name, branch, connectionArn } = settings.sourceRepository;
    const source = pipelines.CodePipelineSource.connection(`${owner}/${name}`, branch, { connectionArn });
    const installCommands = [...BUILD_COMMANDS.install];

    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: pipelineStackName(settings.serviceName),
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
        // The same commands as every pull-request build (buildspec.yml).
        commands: [...BUILD_COMMANDS.preBuild, ...BUILD_COMMANDS.build],
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
          phases: { install: { 'runtime-versions': { nodejs: BUILD_NODE_VERSION } } },
        }),
      },
    });

    this.serviceStages = settings.stages.map((stageSettings) => {
      const { name: stageName, account, region, manualApproval, stepsBefore, stepsAfter } = stageSettings;
      const stage = new ServiceStage(this, stageName, {
        serviceName: settings.serviceName,
        lambdaCodePath: props.lambdaCodePath,
        env: { account, region },
        settings: stageSettings.settings,
        functionPolicyStatements: settings.functionPolicyStatements,
        healthPath: settings.healthPath,
        pipelineAccount: this.account,
        pipelineRegion: this.region,
      });
      props.extension?.extendStage(stage);
      const extraStep = (step: PipelineStepProps) =>
        new pipelines.ShellStep(step.name, { input: source, installCommands, commands: step.commands });
      const rollbackFunctionName = ServiceStack.rollbackFunctionName(settings.serviceName, stageName);
      const rollbackFunctionArn = AcceptanceRollback.functionArn(stage.serviceStack, rollbackFunctionName);
      // Pre and post steps would run side by side: sequence them (approval first, acceptance tests before extra steps).
      this.pipeline.addStage(stage, {
        pre: pipelines.Step.sequence([
          ...manualApproval
            ? [new pipelines.ManualApprovalStep(`Approve-${stageName}`, { comment: `Release ${settings.serviceName} to ${stageName}?` })]
            : [],
          ...stepsBefore.map(extraStep),
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
          ...stepsAfter.map(extraStep),
        ]),
      });
      return stage;
    });

    props.extension?.extendPipeline(this.pipeline);
    this.pipeline.buildPipeline();
    this.notifications = new ServiceNotifications(this, 'Notifications', {
      serviceName: settings.serviceName,
      pipeline: this.pipeline.pipeline,
      stageAccounts: settings.stages.map((stage) => stage.account),
      ...settings.notifications,
    });

    hardenPipeline(this.pipeline);
    if (settings.nagChecks) enableNagChecks(this);

    if (settings.pullRequestBuilds) {
      this.pullRequestBuild = new PullRequestBuild(this, 'PullRequestBuild', {
        serviceName: settings.serviceName,
        sourceRepository: settings.sourceRepository,
      });
    }
  }
}

/** Where `env` and the pipeline settings both name the account or region, they must name the same. */
function environmentProblems(props: ServicePipelineStackProps): string[] {
  const problems: string[] = [];
  for (const [setting, field] of [['pipelineAccount', 'account'], ['pipelineRegion', 'region']] as const) {
    const fromSettings = props[setting];
    const fromEnv = props.env?.[field];
    if (fromSettings !== undefined && fromEnv !== undefined && fromSettings !== fromEnv) {
      problems.push(`'${setting}' is "${fromSettings}" but env.${field} is "${fromEnv}": give one of them, or the same value.`);
    }
  }
  return problems;
}
