import { DefaultStackSynthesizer, Duration, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionRole } from './private/function-role';
import { acknowledgeFunctionRuntime, packagedFunctionProps } from './private/packaged-function';
import { repositoryProject } from './private/repository-project';
import { BUILD_NODE_VERSION, PREVIEW_COMMANDS } from '../settings/constants';
import { SourceProvider } from '../settings/enums';
import { installCommands } from '../settings/install-commands';
import { previewAccessRoleArn, previewDeployRoleName } from '../settings/preview-names';
import { assertValidSettings } from '../settings/problems';
import {
  PREVIEW_COMMENT_APPROVAL, PULL_REQUEST_CLOSED_EVENTS, previewLinkContext, previewLinkSupported, previewProjectNames, pullRequestEvents,
} from '../settings/pull-request-events';
import { resolveServiceSettings } from '../settings/resolve';
import { PackageRegistryOptions, SourceRepositoryOptions } from '../settings/service-settings';

/**
 * Properties of `PreviewBuilds`.
 */
export interface PreviewBuildsProps {
  /**
   * Short name of the service.
   */
  readonly serviceName: string;

  /**
   * The repository whose pull requests get previews, as in the service's settings.
   *
   * @default - placeholders for owner and connection; the service name as repository; branch "main"
   */
  readonly sourceRepository?: SourceRepositoryOptions;

  /**
   * Where the builds install private npm packages from, as in the service's settings.
   *
   * @default - the public npm registry only
   */
  readonly packageRegistry?: PackageRegistryOptions;

  /**
   * Account previews deploy into: the dev stage's, which holds the preview access roles.
   */
  readonly previewAccount: string;

  /**
   * Region previews deploy into: the dev stage's.
   */
  readonly previewRegion: string;

  /**
   * Age in days after which the daily sweeper destroys a preview not deployed since.
   *
   * @default 7
   */
  readonly maxAgeDays?: number;
}

/**
 * The previews of pull requests, from the pipeline's account: a CodeBuild project that deploys
 * a pull request's preview on every push (opened, updated, reopened) and runs the acceptance
 * tests against it, its status on the pull request; one that destroys it when the pull request
 * is merged or closed; and a function that destroys, every day, the previews not deployed for
 * `maxAgeDays`, so that one whose destroy event was missed does not live on. Each reaches the
 * dev account only through the preview deploy role (`PreviewAccessStack`). Except on GitLab, a
 * third project puts the preview's URL on the pull request: the deploy starts it once the
 * preview is up, and its status links to the URL.
 */
export class PreviewBuilds extends Construct {
  /** The project deploying and testing previews. */
  public readonly deployProject: codebuild.Project;

  /** The project destroying the preview of a merged or closed pull request. */
  public readonly destroyProject: codebuild.Project;

  /** The project whose status on the pull request links to its preview; none on GitLab, whose statuses link only to their build. */
  public readonly linkProject?: codebuild.Project;

  /** The daily sweeper of stale previews. */
  public readonly sweeper: lambda.Function;

  /** The schedule starting the sweeper. */
  public readonly sweeperSchedule: events.Rule;

  constructor(scope: Construct, id: string, props: PreviewBuildsProps) {
    super(scope, id);
    const settings = { serviceName: props.serviceName, sourceRepository: props.sourceRepository, packageRegistry: props.packageRegistry };
    assertValidSettings('PreviewBuilds', settings);
    const resolved = resolveServiceSettings(settings);
    const { serviceName, previewAccount, previewRegion } = props;
    const { owner, name, branch, provider } = resolved.sourceRepository;
    const partition = Stack.of(this).partition;
    const deployRoleArn = previewAccessRoleArn(partition, previewAccount, serviceName, previewDeployRoleName(serviceName));
    const environmentVariables = {
      PREVIEW_DEPLOY_ROLE_ARN: { value: deployRoleArn },
      PREVIEW_REGION: { value: previewRegion },
    };
    const names = previewProjectNames(serviceName);
    const buildSpec = (commands: readonly string[]) => codebuild.BuildSpec.fromObject({
      version: '0.2',
      phases: {
        install: { 'runtime-versions': { nodejs: BUILD_NODE_VERSION }, 'commands': installCommands(resolved.packageRegistry) },
        build: { commands: [...commands] },
      },
      cache: { paths: ['/root/.npm/**/*'] },
    });

    if (previewLinkSupported(provider)) {
      // A build of the pull request's commit doing nothing but print the URL: CodeBuild reports its status with the
      // context and link the deploy gives StartBuild (buildStatusConfigOverride), the only way a connection lets a
      // build put a link on a pull request (a comment would need the host's token).
      this.linkProject = repositoryProject(new Construct(this, 'Link'), {
        projectName: names.link,
        description: `Links each ${owner}/${name} pull request to its preview`,
        settings: resolved,
        buildSpec: codebuild.BuildSpec.fromObject({
          version: '0.2',
          phases: { build: { commands: ['echo "Preview: $PREVIEW_URL"'] } },
        }),
        reportBuildStatus: true,
        buildStatusContext: previewLinkContext(serviceName),
        cloneDepth: 1,
      }).project;
    }

    const deploy = new Construct(this, 'Deploy');
    this.deployProject = repositoryProject(deploy, {
      projectName: names.deploy,
      description: `Deploys and tests the preview of each ${owner}/${name} pull request to ${branch}`,
      settings: resolved,
      events: pullRequestEvents(provider),
      buildSpec: buildSpec(PREVIEW_COMMANDS.deploy),
      reportBuildStatus: true,
      environmentVariables: this.linkProject
        ? { ...environmentVariables, PREVIEW_LINK_PROJECT: { value: this.linkProject.projectName } }
        : environmentVariables,
    }).project;
    if (provider !== SourceProvider.GITHUB_ENTERPRISE) {
      // This build deploys into AWS with the pull request's code: only members of the repository (CodeBuild's default
      // approver roles) start it; anyone else's pull request waits for a member's /codebuild_run(<commit>) comment.
      // Explicit, as it is CodeBuild's default only for webhooks it creates now.
      (this.deployProject.node.defaultChild as codebuild.CfnProject)
        .addPropertyOverride('Triggers.PullRequestBuildPolicy', { RequiresCommentApproval: PREVIEW_COMMENT_APPROVAL });
    }
    // cdk deploy publishes the bundle with the account's bootstrap publishing role, then deploys through the preview deploy role.
    const fileAssetPublishingRole = `arn:${partition}:iam::${previewAccount}:role/cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-file-publishing-role-${previewAccount}-${previewRegion}`;
    this.deployProject.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [deployRoleArn, fileAssetPublishingRole] }));
    if (this.linkProject) {
      this.deployProject.addToRolePolicy(new iam.PolicyStatement({ actions: ['codebuild:StartBuild'], resources: [this.linkProject.projectArn] }));
    }

    const destroy = new Construct(this, 'Destroy');
    this.destroyProject = repositoryProject(destroy, {
      projectName: names.destroy,
      description: `Destroys the preview of each ${owner}/${name} pull request to ${branch} once merged or closed`,
      settings: resolved,
      events: PULL_REQUEST_CLOSED_EVENTS,
      buildSpec: buildSpec(PREVIEW_COMMANDS.destroy),
      // The pull request is closed: a status on its last commit would tell nobody anything.
      reportBuildStatus: false,
      environmentVariables,
    }).project;
    this.destroyProject.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [deployRoleArn] }));

    const sweeperLogs = new logs.LogGroup(this, 'SweeperLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const sweeperRole = functionRole(this, 'SweeperRole', sweeperLogs, `Destroys the stale previews of ${serviceName}`);
    sweeperRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [deployRoleArn] }));
    this.sweeper = new lambda.Function(this, 'Sweeper', {
      description: `Destroys the previews of ${serviceName} not deployed for ${props.maxAgeDays ?? 7} days`,
      ...packagedFunctionProps('preview-sweeper'),
      timeout: Duration.minutes(5),
      role: sweeperRole,
      logGroup: sweeperLogs,
      environment: {
        SERVICE_NAME: serviceName,
        PREVIEW_DEPLOY_ROLE_ARN: deployRoleArn,
        PREVIEW_REGION: previewRegion,
        MAX_AGE_DAYS: String(props.maxAgeDays ?? 7),
      },
    });
    acknowledgeFunctionRuntime(this.sweeper);
    this.sweeperSchedule = new events.Rule(this, 'SweeperSchedule', {
      description: `Destroys the stale previews of ${serviceName} every day`,
      schedule: events.Schedule.rate(Duration.days(1)),
      targets: [new targets.LambdaFunction(this.sweeper, { retryAttempts: 2 })],
    });
  }
}
