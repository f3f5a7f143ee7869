import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './private/nag';
import { CODEBUILD_REASON, codeBuildFindings, registryGrants } from './private/pipeline-hardening';
import { BUILD_NODE_VERSION, connectionActions } from '../settings/constants';
import { SourceProvider } from '../settings/enums';
import { assertValidSettings } from '../settings/problems';
import { baseRefPattern, gitHubEnterpriseWebhookCommand, pullRequestEvents, pullRequestProjectName } from '../settings/pull-request-events';
import { ResolvedServiceSettings, resolveServiceSettings } from '../settings/resolve';
import { registryEnvironment, registryPolicyStatements } from './private/package-registry';
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
 * repository through the connection when the project is created. GitHub Enterprise Server is
 * the exception: CloudFormation cannot create its webhook, so the project has none and
 * `npx projen bootstrap` prints the one command that creates it (`PullRequestBuild.webhookCommand`).
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
    const source = resolved.sourceRepository;
    const { provider, owner, name, branch, connectionArn } = source;
    const cloneUrl = source.repositoryUrl ?? (PUBLIC_HOSTS[provider] && `https://${PUBLIC_HOSTS[provider]}/${owner}/${name}.git`);
    if (!cloneUrl) {
      throw new Error(`PullRequestBuild: a ${provider} repository needs sourceRepository.repositoryUrl (its HTTPS clone URL).`);
    }

    this.project = new codebuild.Project(this, 'Project', {
      projectName: pullRequestProjectName(props.serviceName),
      description: `Builds ${owner}/${name} pull requests to ${branch}`,
      source: this.source(source, cloneUrl),
      buildSpec: codebuild.BuildSpec.fromSourceFilename('buildspec.yml'),
      environment: {
        buildImage: props.buildImage ?? codebuild.LinuxBuildImage.STANDARD_7_0,
        environmentVariables: {
          CDK_DISABLE_CLI_TELEMETRY: { value: 'true' },
          NODE_VERSION: { value: BUILD_NODE_VERSION },
          // buildspec.yml's install commands read the registry's token from here.
          ...registryEnvironment(resolved.packageRegistry),
        },
      },
      // Makes the buildspec's cache paths (the npm cache) survive between builds on one host.
      cache: codebuild.Cache.local(codebuild.LocalCacheMode.CUSTOM),
    });

    const cfnProject = this.project.node.defaultChild as codebuild.CfnProject;
    // The L2 sources cannot say which credential to use; without Auth CodeBuild would look for
    // an account-wide source credential (a personal token) instead of the connection.
    cfnProject.addPropertyOverride('Source.Auth', { Type: 'CODECONNECTIONS', Resource: connectionArn });
    if (provider === SourceProvider.GITLAB) {
      // aws-cdk-lib has no GitLab source: the GitHub one renders the same webhook and status
      // properties, and the type and location are overridden.
      cfnProject.addPropertyOverride('Source.Type', 'GITLAB');
      cfnProject.addPropertyOverride('Source.Location', cloneUrl);
    }

    registryPolicyStatements(this, resolved.packageRegistry).forEach((statement) => this.project.addToRolePolicy(statement));
    // A separate policy, so that the project (whose default policy names it) can depend on it:
    // the connection must be usable when CodeBuild creates the webhook.
    this.connectionPolicy = new iam.Policy(this, 'ConnectionPolicy', {
      roles: [this.project.role!],
      statements: [new iam.PolicyStatement({
        actions: connectionActions('UseConnection', 'GetConnection', 'GetConnectionToken'),
        resources: [connectionArn],
      })],
    });
    cfnProject.node.addDependency(this.connectionPolicy);

    acknowledge(this.project, 'CB4', 'The project builds and tests only: it has no artifacts and a local cache, so it '
      + 'stores nothing in S3 for a customer-managed key to encrypt; its logs go to CloudWatch Logs.');
    const defaultPolicy = this.project.role!.node.findChild('DefaultPolicy');
    codeBuildFindings(cfnProject).forEach((finding) => acknowledge(defaultPolicy, 'IAM5', CODEBUILD_REASON, finding));
    registryGrants(resolved.packageRegistry).forEach((grant) => acknowledge(defaultPolicy, 'IAM5', grant.reason, grant.finding));
  }

  private source(source: ResolvedServiceSettings['sourceRepository'], cloneUrl: string): codebuild.ISource {
    const common = {
      reportBuildStatus: true,
      webhook: true,
      webhookFilters: [pullRequestFilter(source.branch, source.provider)],
    };
    switch (source.provider) {
      case SourceProvider.GITHUB_ENTERPRISE:
        // CloudFormation refuses a webhook for GitHub Enterprise Server: see webhookCommand.
        return codebuild.Source.gitHubEnterprise({ reportBuildStatus: true, webhook: false, httpsCloneUrl: cloneUrl });
      case SourceProvider.BITBUCKET:
        return codebuild.Source.bitBucket({ ...common, owner: source.owner, repo: source.name });
      default: // GITHUB, and GITLAB before its override
        return codebuild.Source.gitHub({ ...common, owner: source.owner, repo: source.name });
    }
  }
}

/** Pull requests opened, updated or reopened whose base is exactly the branch. */
function pullRequestFilter(branch: string, provider: SourceProvider): codebuild.FilterGroup {
  const events = pullRequestEvents(provider).map((event) => event as codebuild.EventAction);
  return codebuild.FilterGroup.inEventOf(...events).andBaseRefIs(baseRefPattern(branch));
}
