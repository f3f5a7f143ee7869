import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './private/nag';
import { CODEBUILD_REASON, codeBuildFindings } from './private/pipeline-hardening';

/**
 * The Git host of the repository, as a CodeConnections connection reaches it.
 */
export enum SourceProvider {
  /** github.com. */
  GITHUB = 'GITHUB',
  /** GitHub Enterprise Server; needs `repositoryUrl`. */
  GITHUB_ENTERPRISE = 'GITHUB_ENTERPRISE',
  /** bitbucket.org. */
  BITBUCKET = 'BITBUCKET',
  /** gitlab.com. */
  GITLAB = 'GITLAB',
}

/**
 * Properties of a `PullRequestBuild`.
 */
export interface PullRequestBuildProps {
  /**
   * Short name of the service, used in the project's name.
   */
  readonly serviceName: string;

  /**
   * Owner of the repository (organisation, user, workspace or group).
   */
  readonly owner: string;

  /**
   * Name of the repository.
   */
  readonly repository: string;

  /**
   * The base branch: pull requests that target it are built.
   */
  readonly branch: string;

  /**
   * ARN of the CodeConnections (or CodeStar Connections) connection to the repository.
   */
  readonly connectionArn: string;

  /**
   * The Git host of the repository.
   *
   * @default SourceProvider.GITHUB
   */
  readonly provider?: SourceProvider;

  /**
   * HTTPS clone URL of the repository.
   *
   * @default - https://<github.com|bitbucket.org|gitlab.com>/<owner>/<repository>.git; required for GITHUB_ENTERPRISE
   */
  readonly repositoryUrl?: string;

  /**
   * Node.js major version, given to the build as NODE_VERSION (the repository's
   * `buildspec.yml` chooses its runtime itself).
   *
   * @default "22"
   */
  readonly nodeVersion?: string;

  /**
   * Image the build runs in.
   *
   * @default codebuild.LinuxBuildImage.STANDARD_7_0
   */
  readonly buildImage?: codebuild.IBuildImage;
}

const PUBLIC_HOSTS: Record<string, string> = {
  [SourceProvider.GITHUB]: 'github.com',
  [SourceProvider.BITBUCKET]: 'bitbucket.org',
  [SourceProvider.GITLAB]: 'gitlab.com',
};

/**
 * The build of pull requests: a CodeBuild project that runs the repository's own
 * `buildspec.yml` on every pull request opened, updated or reopened against the branch, and
 * reports the build's status on the pull request.
 *
 * The source authenticates through the CodeConnections connection (`Source.Auth` of type
 * CODECONNECTIONS), so no personal token is stored in CodeBuild: AWS creates the webhook in the
 * repository through the connection when the project is created.
 */
export class PullRequestBuild extends Construct {
  /** The CodeBuild project. */
  public readonly project: codebuild.Project;

  /** The policy letting the project's role use the connection. */
  public readonly connectionPolicy: iam.Policy;

  constructor(scope: Construct, id: string, props: PullRequestBuildProps) {
    super(scope, id);

    const provider = props.provider ?? SourceProvider.GITHUB;
    const cloneUrl = props.repositoryUrl
      ?? (PUBLIC_HOSTS[provider] && `https://${PUBLIC_HOSTS[provider]}/${props.owner}/${props.repository}.git`);
    if (!cloneUrl) {
      throw new Error(`PullRequestBuild: a ${provider} repository needs repositoryUrl (its HTTPS clone URL).`);
    }

    this.project = new codebuild.Project(this, 'Project', {
      projectName: `${props.serviceName}-pull-requests`,
      description: `Builds ${props.owner}/${props.repository} pull requests to ${props.branch}`,
      source: this.source(provider, props, cloneUrl),
      buildSpec: codebuild.BuildSpec.fromSourceFilename('buildspec.yml'),
      environment: {
        buildImage: props.buildImage ?? codebuild.LinuxBuildImage.STANDARD_7_0,
        environmentVariables: {
          CDK_DISABLE_CLI_TELEMETRY: { value: 'true' },
          NODE_VERSION: { value: props.nodeVersion ?? '22' },
        },
      },
      // Makes the buildspec's cache paths (the npm cache) survive between builds on one host.
      cache: codebuild.Cache.local(codebuild.LocalCacheMode.CUSTOM),
    });

    const cfnProject = this.project.node.defaultChild as codebuild.CfnProject;
    // The L2 sources cannot say which credential to use; without Auth CodeBuild would look for
    // an account-wide source credential (a personal token) instead of the connection.
    cfnProject.addPropertyOverride('Source.Auth', { Type: 'CODECONNECTIONS', Resource: props.connectionArn });
    if (provider === SourceProvider.GITLAB) {
      // aws-cdk-lib has no GitLab source: the GitHub one renders the same webhook and status
      // properties, and the type and location are overridden.
      cfnProject.addPropertyOverride('Source.Type', 'GITLAB');
      cfnProject.addPropertyOverride('Source.Location', cloneUrl);
    }

    // A separate policy, so that the project (whose default policy names it) can depend on it:
    // the connection must be usable when CodeBuild creates the webhook.
    this.connectionPolicy = new iam.Policy(this, 'ConnectionPolicy', {
      roles: [this.project.role!],
      statements: [new iam.PolicyStatement({
        actions: [
          'codeconnections:UseConnection',
          'codeconnections:GetConnection',
          'codeconnections:GetConnectionToken',
          // Connections created before the service was renamed have codestar-connections ARNs.
          'codestar-connections:UseConnection',
          'codestar-connections:GetConnection',
          'codestar-connections:GetConnectionToken',
        ],
        resources: [props.connectionArn],
      })],
    });
    cfnProject.node.addDependency(this.connectionPolicy);

    acknowledge(this.project, 'CB4', 'The project builds and tests only: it has no artifacts and a local cache, so it '
      + 'stores nothing in S3 for a customer-managed key to encrypt; its logs go to CloudWatch Logs.');
    const defaultPolicy = this.project.role!.node.findChild('DefaultPolicy');
    codeBuildFindings(cfnProject).forEach((finding) => acknowledge(defaultPolicy, 'IAM5', CODEBUILD_REASON, finding));
  }

  private source(provider: SourceProvider, props: PullRequestBuildProps, cloneUrl: string): codebuild.ISource {
    const common = {
      reportBuildStatus: true,
      webhook: true,
      webhookFilters: [pullRequestFilter(props.branch, provider)],
    };
    switch (provider) {
      case SourceProvider.GITHUB_ENTERPRISE:
        return codebuild.Source.gitHubEnterprise({ ...common, httpsCloneUrl: cloneUrl });
      case SourceProvider.BITBUCKET:
        return codebuild.Source.bitBucket({ ...common, owner: props.owner, repo: props.repository });
      default: // GITHUB, and GITLAB before its override
        return codebuild.Source.gitHub({ ...common, owner: props.owner, repo: props.repository });
    }
  }
}

/** Pull requests opened, updated or reopened whose base is exactly the branch. */
function pullRequestFilter(branch: string, provider: SourceProvider): codebuild.FilterGroup {
  const actions = [codebuild.EventAction.PULL_REQUEST_CREATED, codebuild.EventAction.PULL_REQUEST_UPDATED];
  // CodeBuild has no reopen event for Bitbucket (and aws-cdk-lib refuses it).
  if (provider !== SourceProvider.BITBUCKET) actions.push(codebuild.EventAction.PULL_REQUEST_REOPENED);
  // Anchored: CodeBuild matches the pattern as a regex, and "refs/heads/main" alone would also
  // match refs/heads/main-old.
  const escaped = branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return codebuild.FilterGroup.inEventOf(...actions).andBaseRefIs(`^refs/heads/${escaped}$`);
}
