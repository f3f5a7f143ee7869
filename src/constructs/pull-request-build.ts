import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { repositoryProject } from './private/repository-project';
import { assertValidSettings } from '../settings/problems';
import { gitHubEnterpriseWebhookCommand, pullRequestEvents, pullRequestProjectName } from '../settings/pull-request-events';
import { resolveServiceSettings } from '../settings/resolve';
import { PackageRegistryOptions, SourceRepositoryOptions } from '../settings/service-settings';

/**
 * Properties of a `PullRequestBuild`.
 */
export interface PullRequestBuildProps {
  /**
   * Short name of the service, used in the project's name.
   */
  readonly serviceName: string;

  /**
   * The repository whose pull requests are built, as in the service's settings.
   *
   * @default - placeholders for owner and connection; the service name as repository; branch "main"
   */
  readonly sourceRepository?: SourceRepositoryOptions;

  /**
   * Where the build installs private npm packages from, as in the service's settings.
   *
   * @default - the public npm registry only
   */
  readonly packageRegistry?: PackageRegistryOptions;

  /**
   * Image the build runs in.
   *
   * @default codebuild.LinuxBuildImage.STANDARD_7_0
   */
  readonly buildImage?: codebuild.IBuildImage;
}

/**
 * The build of pull requests: a CodeBuild project that runs the repository's own
 * `buildspec.yml` on every pull request opened, updated or reopened against the branch, and
 * reports the build's status on the pull request.
 *
 * The source authenticates through the CodeConnections connection, so no personal token is
 * stored in CodeBuild. On GitHub Enterprise Server CloudFormation cannot create the webhook, so
 * the project has none and `npx projen bootstrap` prints the one command that creates it
 * (`PullRequestBuild.webhookCommand`).
 */
export class PullRequestBuild extends Construct {
  /**
   * The AWS CLI command that creates the webhook of a GitHub Enterprise Server repository's
   * pull-request builds, with the same filter as every other host's: run it once, with the
   * pipeline account's credentials, and add the payloadUrl and secret it prints to the
   * repository's webhooks in GitHub Enterprise Server.
   */
  public static webhookCommand(serviceName: string, branch: string, region: string): string {
    return gitHubEnterpriseWebhookCommand(serviceName, branch, region);
  }

  /** The CodeBuild project. */
  public readonly project: codebuild.Project;

  /** The policy letting the project's role use the connection. */
  public readonly connectionPolicy: iam.Policy;

  constructor(scope: Construct, id: string, props: PullRequestBuildProps) {
    super(scope, id);

    const settings = { serviceName: props.serviceName, sourceRepository: props.sourceRepository, packageRegistry: props.packageRegistry };
    assertValidSettings('PullRequestBuild', settings);
    const resolved = resolveServiceSettings(settings);
    const { owner, name, branch, provider } = resolved.sourceRepository;
    const { project, connectionPolicy } = repositoryProject(this, {
      projectName: pullRequestProjectName(props.serviceName),
      description: `Builds ${owner}/${name} pull requests to ${branch}`,
      settings: resolved,
      events: pullRequestEvents(provider),
      buildSpec: codebuild.BuildSpec.fromSourceFilename('buildspec.yml'),
      reportBuildStatus: true,
      buildImage: props.buildImage,
    });
    this.project = project;
    this.connectionPolicy = connectionPolicy;
  }
}
