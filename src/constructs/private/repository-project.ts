import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './nag';
import { registryEnvironment, registryPolicyStatements } from './package-registry';
import { CODEBUILD_REASON, codeBuildFindings, registryGrants } from './pipeline-hardening';
import { BUILD_NODE_VERSION, connectionActions } from '../../settings/constants';
import { SourceProvider } from '../../settings/enums';
import { baseRefPattern } from '../../settings/pull-request-events';
import { ResolvedServiceSettings } from '../../settings/resolve';

/** A CodeBuild project building the repository through the connection: started by its pull-request events, or only by StartBuild. */
export interface RepositoryProjectProps {
  readonly projectName: string;
  readonly description: string;
  readonly settings: Pick<ResolvedServiceSettings, 'sourceRepository' | 'packageRegistry'>;
  /** The webhook events (names of `codebuild.EventAction`) of pull requests to the release branch; none: no webhook. */
  readonly events?: string[];
  readonly buildSpec: codebuild.BuildSpec;
  /** Whether the build's status shows on the pull request's commit. */
  readonly reportBuildStatus: boolean;
  /** Name (context) of that status on GitHub, GitHub Enterprise Server and Bitbucket; CodeBuild's default names the project. */
  readonly buildStatusContext?: string;
  /** How much history a build clones; the whole history when absent. */
  readonly cloneDepth?: number;
  readonly environmentVariables?: Record<string, codebuild.BuildEnvironmentVariable>;
  readonly buildImage?: codebuild.IBuildImage;
}

const PUBLIC_HOSTS: Record<string, string> = {
  [SourceProvider.GITHUB]: 'github.com',
  [SourceProvider.BITBUCKET]: 'bitbucket.org',
  [SourceProvider.GITLAB]: 'gitlab.com',
};

/**
 * The project, and the policy letting its role use the connection. The source authenticates
 * through the CodeConnections connection (`Source.Auth` of type CODECONNECTIONS), so no personal
 * token is stored in CodeBuild: AWS creates the webhook (if any) in the repository through the connection
 * when the project is created, except on GitHub Enterprise Server, where CloudFormation cannot
 * (see `gitHubEnterpriseWebhookCommand`).
 */
export function repositoryProject(scope: Construct, props: RepositoryProjectProps): { project: codebuild.Project; connectionPolicy: iam.Policy } {
  const source = props.settings.sourceRepository;
  const { provider, owner, name, connectionArn } = source;
  const cloneUrl = source.repositoryUrl ?? (PUBLIC_HOSTS[provider] && `https://${PUBLIC_HOSTS[provider]}/${owner}/${name}.git`);
  if (!cloneUrl) {
    throw new Error(`${scope.node.id}: a ${provider} repository needs sourceRepository.repositoryUrl (its HTTPS clone URL).`);
  }
  const registry = props.settings.packageRegistry;

  const project = new codebuild.Project(scope, 'Project', {
    projectName: props.projectName,
    description: props.description,
    source: repositorySource(source, cloneUrl, props),
    buildSpec: props.buildSpec,
    environment: {
      buildImage: props.buildImage ?? codebuild.LinuxBuildImage.STANDARD_7_0,
      environmentVariables: {
        CDK_DISABLE_CLI_TELEMETRY: { value: 'true' },
        NODE_VERSION: { value: BUILD_NODE_VERSION },
        // The install commands read the registry's token from here.
        ...registryEnvironment(registry),
        ...props.environmentVariables,
      },
    },
    // Makes the buildspec's cache paths (the npm cache) survive between builds on one host.
    cache: codebuild.Cache.local(codebuild.LocalCacheMode.CUSTOM),
  });

  const cfnProject = project.node.defaultChild as codebuild.CfnProject;
  // The L2 sources cannot say which credential to use; without Auth CodeBuild would look for
  // an account-wide source credential (a personal token) instead of the connection.
  cfnProject.addPropertyOverride('Source.Auth', { Type: 'CODECONNECTIONS', Resource: connectionArn });
  if (provider === SourceProvider.GITLAB) {
    // aws-cdk-lib has no GitLab source: the GitHub one renders the same webhook and status
    // properties, and the type and location are overridden.
    cfnProject.addPropertyOverride('Source.Type', 'GITLAB');
    cfnProject.addPropertyOverride('Source.Location', cloneUrl);
  }

  registryPolicyStatements(scope, registry).forEach((statement) => project.addToRolePolicy(statement));
  // A separate policy, so that the project (whose default policy names it) can depend on it:
  // the connection must be usable when CodeBuild creates the webhook.
  const connectionPolicy = new iam.Policy(scope, 'ConnectionPolicy', {
    roles: [project.role!],
    statements: [new iam.PolicyStatement({
      actions: connectionActions('UseConnection', 'GetConnection', 'GetConnectionToken'),
      resources: [connectionArn],
    })],
  });
  cfnProject.node.addDependency(connectionPolicy);

  acknowledge(project, 'CB4', 'The project has no artifacts and a local cache, so it stores nothing in S3 for a '
    + 'customer-managed key to encrypt; its logs go to CloudWatch Logs.');
  const defaultPolicy = project.role!.node.findChild('DefaultPolicy');
  codeBuildFindings(cfnProject).forEach((finding) => acknowledge(defaultPolicy, 'IAM5', CODEBUILD_REASON, finding));
  registryGrants(registry).forEach((grant) => acknowledge(defaultPolicy, 'IAM5', grant.reason, grant.finding));
  return { project, connectionPolicy };
}

function repositorySource(source: ResolvedServiceSettings['sourceRepository'], cloneUrl: string, props: RepositoryProjectProps): codebuild.ISource {
  const events = props.events?.map((event) => event as codebuild.EventAction);
  const common = {
    reportBuildStatus: props.reportBuildStatus,
    cloneDepth: props.cloneDepth,
    ...events
      // Pull requests whose base is exactly the branch.
      ? { webhook: true, webhookFilters: [codebuild.FilterGroup.inEventOf(...events).andBaseRefIs(baseRefPattern(source.branch))] }
      : { webhook: false },
  };
  const context = props.buildStatusContext;
  switch (source.provider) {
    case SourceProvider.GITHUB_ENTERPRISE:
      // CloudFormation refuses a webhook for GitHub Enterprise Server: see gitHubEnterpriseWebhookCommand.
      return codebuild.Source.gitHubEnterprise({
        reportBuildStatus: props.reportBuildStatus,
        cloneDepth: props.cloneDepth,
        webhook: false,
        httpsCloneUrl: cloneUrl,
        buildStatusContext: context,
      });
    case SourceProvider.BITBUCKET:
      return codebuild.Source.bitBucket({ ...common, owner: source.owner, repo: source.name, buildStatusName: context });
    case SourceProvider.GITLAB:
      // The GitHub source before its override (above); GitLab's status takes no name or link (BuildStatusConfig: GitHub and Bitbucket only).
      return codebuild.Source.gitHub({ ...common, owner: source.owner, repo: source.name });
    default: // GITHUB
      return codebuild.Source.gitHub({ ...common, owner: source.owner, repo: source.name, buildStatusContext: context });
  }
}
