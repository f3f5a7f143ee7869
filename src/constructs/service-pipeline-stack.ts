import { Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { PreviewBuilds } from './preview-builds';
import { alarmCheckStep, bakeStep } from './private/bake-step';
import { changeSetReviewStep, changeSetVerifyStep, notifyReviews, ReviewedApprovalStep, ReviewTopics } from './private/change-set-review';
import { enableNagChecks } from './private/nag';
import { registryEnvironment, registryPolicyStatements } from './private/package-registry';
import { hardenPipeline } from './private/pipeline-hardening';
import { addStageConditions, approvalStageName, needsWindowStage, windowStageName } from './private/stage-conditions';
import { PullRequestBuild } from './pull-request-build';
import { ServiceNotifications } from './service-notifications';
import { ServicePipelineStackProps } from './service-pipeline-props';
import { ServiceStage } from './service-stage';
import { BUILD_COMMANDS, BUILD_NODE_VERSION, connectionActions, pipelineStackName } from '../settings/constants';
import { installCommands } from '../settings/install-commands';
import { serviceSettingsProblems, settingsError } from '../settings/problems';
import { resolveServiceSettings } from '../settings/resolve';
import { PipelineStepProps, ServiceSettings } from '../settings/service-settings';
import { readServiceSettings } from '../settings/settings-file';

/**
 * The service's own delivery pipeline: source, build (the service's projen build:
 * compile, lint, tests, bundle and synth), self-mutation, then each stage in order,
 * each with an optional manual approval before it and the acceptance tests after it.
 */
export class ServicePipelineStack extends Stack {
  /**
   * Reads the settings a generated service's CDK app passes on: the JSON file the project type
   * writes from `.projenrc.ts` (`src/service-settings.generated.json`). Their values are
   * checked by the constructor, as `.projenrc.ts` checks them.
   */
  public static readSettings(file: string): ServiceSettings {
    return readServiceSettings(file);
  }

  /** The pipeline. */
  public readonly pipeline: pipelines.CodePipeline;

  /** The stages, in deployment order. */
  public readonly serviceStages: ServiceStage[];

  /** Where pipeline failures and the stages' alarms are sent. */
  public readonly notifications: ServiceNotifications;

  /** The test-only build of pull requests, when enabled. */
  public readonly pullRequestBuild?: PullRequestBuild;

  /** The builds deploying, testing and destroying the previews of pull requests, when enabled. */
  public readonly previewBuilds?: PreviewBuilds;

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
    // Every step that installs the service's dependencies installs them the same way, from the same registry.
    const installing = {
      input: source,
      installCommands: installCommands(settings.packageRegistry),
      rolePolicyStatements: registryPolicyStatements(this, settings.packageRegistry),
      buildEnvironment: { environmentVariables: registryEnvironment(settings.packageRegistry) },
    };

    const pipelineName = pipelineStackName(settings.serviceName);
    const pipelineArn = this.formatArn({ service: 'codepipeline', resource: pipelineName });
    const synth = new pipelines.CodeBuildStep('Synth', {
      ...installing,
      // The same commands as every pull-request build (buildspec.yml).
      commands: [...BUILD_COMMANDS.preBuild, ...BUILD_COMMANDS.build],
      primaryOutputDirectory: 'cdk.out',
    });
    // Where the change set reviews notify; the notifications are built after the pipeline they watch.
    const reviewTopics: ReviewTopics = {};
    const reviews: pipelines.CodeBuildStep[] = [];

    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName,
      // V2: stage rollback on failure and stage conditions (alarm gates, deployment windows).
      pipelineType: codepipeline.PipelineType.V2,
      // A customer-managed, rotating key for the artifacts (the deployable code and templates),
      // also where every stage is in the pipeline's account; stage accounts need it to read them.
      crossAccountKeys: true,
      enableKeyRotation: true,
      selfMutation: true,
      // One CodeBuild action publishes every file asset (the bundle and the hook function)
      // instead of one action each: fewer build starts and minutes per release.
      publishAssetsInParallel: false,
      synth,
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

    this.serviceStages = settings.stages.map((stageSettings, index) => {
      const { name: stageName, account, region, manualApproval, stepsBefore, stepsAfter, bakeTimeMinutes } = stageSettings;
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
      const watched = (s: { name: string; account: string; region: string }) =>
        ({ serviceName: settings.serviceName, stageName: s.name, account: s.account, region: s.region, partition: this.partition });
      // The approval and the window wait are pipeline stages of their own before the service stage, so
      // that its entry condition (window, alarms) is checked after them, at the moment of deploy, and
      // a rejected approval fails a stage that deploys nothing and so never rolls back.
      const access = { account, region };
      const stacks = stage.node.findAll().filter(Stack.isStack);
      if (manualApproval) {
        // The approver sees the change set of every stack of the stage, made from the release's own templates.
        const review = changeSetReviewStep({
          serviceName: settings.serviceName, stage, access, synthOutput: synth, topics: reviewTopics, base: installing,
        });
        reviews.push(review);
        this.pipeline.addWave(approvalStageName(stageName), {
          pre: pipelines.Step.sequence([review, new ReviewedApprovalStep(approvalStageName(stageName), {
            comment: `Release ${settings.serviceName} to ${stageName}? ${review.exportedVariable('SUMMARY')}`,
            reviewUrl: review.exportedVariable('CHANGE_SET_URL'),
          })]),
        });
      }
      if (needsWindowStage(stageSettings)) {
        // Entered when the window opens; its one action looks at the previous stage's alarms at that moment.
        this.pipeline.addWave(windowStageName(stageName), { pre: [alarmCheckStep(watched(settings.stages[index - 1]))] });
      }
      const extraStep = (step: PipelineStepProps) => new pipelines.CodeBuildStep(step.name, { ...installing, commands: step.commands });
      // Pre and post steps would run side by side: sequence them (extra steps before the deploy; acceptance tests,
      // then the bake time, then extra steps after it). A failure in any of them fails the stage, which CodePipeline
      // rolls back to its last successful execution.
      this.pipeline.addStage(stage, {
        pre: pipelines.Step.sequence(stepsBefore.map(extraStep)),
        // Each stack's change set executes only if it is the one approved.
        stackSteps: manualApproval ? stacks.map((stack) => ({
          stack,
          changeSet: [changeSetVerifyStep({ stack, access, pipelineName, pipelineArn, base: installing })],
        })) : undefined,
        post: pipelines.Step.sequence([
          new pipelines.CodeBuildStep('AcceptanceTests', {
            ...installing,
            envFromCfnOutputs: { SERVICE_URL: stage.apiUrlOutput },
            commands: ['npx projen test:acceptance'],
          }),
          ...bakeTimeMinutes > 0 ? [bakeStep(watched(stageSettings), bakeTimeMinutes)] : [],
          ...stepsAfter.map(extraStep),
        ]),
      });
      return stage;
    });

    props.extension?.extendPipeline(this.pipeline);
    this.pipeline.buildPipeline();
    addStageConditions(this.pipeline.pipeline, settings.serviceName, settings.stages, this.partition);
    grantConnection(this.pipeline.pipeline, connectionArn);
    this.notifications = new ServiceNotifications(this, 'Notifications', {
      serviceName: settings.serviceName,
      pipeline: this.pipeline.pipeline,
      stageAccounts: settings.stages.map((stage) => stage.account),
      ...settings.notifications,
    });
    notifyReviews(reviews, reviewTopics, this.notifications);

    hardenPipeline(this.pipeline, settings.packageRegistry);
    if (settings.nagChecks) enableNagChecks(this);

    if (settings.pullRequestBuilds) {
      this.pullRequestBuild = new PullRequestBuild(this, 'PullRequestBuild', {
        serviceName: settings.serviceName,
        sourceRepository: settings.sourceRepository,
        packageRegistry: settings.packageRegistry,
      });
    }
    if (settings.previews) {
      this.previewBuilds = new PreviewBuilds(this, 'Previews', {
        serviceName: settings.serviceName,
        sourceRepository: settings.sourceRepository,
        packageRegistry: settings.packageRegistry,
        previewAccount: settings.previews.hostStage.account,
        previewRegion: settings.previews.hostStage.region,
        maxAgeDays: settings.previews.maxAgeDays,
      });
    }
  }
}

/**
 * Lets the Source action use the connection whatever its ARN's prefix: IAM authorizes
 * `arn:aws:codeconnections:...` connections for the codeconnections: actions only, and older
 * `codestar-connections` ARNs for those; aws-cdk-lib grants the latter alone.
 */
function grantConnection(pipeline: codepipeline.Pipeline, connectionArn: string): void {
  const [source] = pipeline.stages[0].actions;
  // The pipeline made the action's role when it bound the action: it lies under the stage and the action.
  const role = pipeline.node.findChild(pipeline.stages[0].stageName).node.findChild(source.actionProperties.actionName)
    .node.findChild('CodePipelineActionRole') as iam.Role;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: connectionActions('UseConnection'),
    resources: [connectionArn],
  }));
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
