import { SourceProvider } from './enums';

/**
 * The CodeBuild webhook events of pull requests opened, updated or reopened (CodeBuild has no
 * reopen event for Bitbucket, and aws-cdk-lib refuses it): the names of `codebuild.EventAction`.
 */
export function pullRequestEvents(provider: SourceProvider): string[] {
  const events = ['PULL_REQUEST_CREATED', 'PULL_REQUEST_UPDATED'];
  if (provider !== SourceProvider.BITBUCKET) events.push('PULL_REQUEST_REOPENED');
  return events;
}

/**
 * Exactly the branch as a pull request's base: CodeBuild matches the pattern as a regex, and
 * "refs/heads/main" alone would also match refs/heads/main-old.
 */
export function baseRefPattern(branch: string): string {
  return `^refs/heads/${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/** The pull-request project's name, which the GHES webhook command names too. */
export function pullRequestProjectName(serviceName: string): string {
  return `${serviceName}-pull-requests`;
}

/**
 * The AWS CLI command that creates the webhook of a GitHub Enterprise Server repository's
 * pull-request builds, with the same filter as every other host's (CloudFormation cannot create it).
 */
export function gitHubEnterpriseWebhookCommand(serviceName: string, branch: string, region: string): string {
  return webhookCommand(pullRequestProjectName(serviceName), pullRequestEvents(SourceProvider.GITHUB_ENTERPRISE), branch, region);
}

/** The same commands for the two preview projects (deploy on open, update, reopen; destroy on merge, close). */
export function gitHubEnterprisePreviewWebhookCommands(serviceName: string, branch: string, region: string): string[] {
  const names = previewProjectNames(serviceName);
  return [
    // The deploy runs the pull request's code with AWS credentials: members only, as on every other host (PreviewBuilds).
    `${webhookCommand(names.deploy, pullRequestEvents(SourceProvider.GITHUB_ENTERPRISE), branch, region)}`
      + ` --pull-request-build-policy '${JSON.stringify({ requiresCommentApproval: PREVIEW_COMMENT_APPROVAL })}'`,
    webhookCommand(names.destroy, PULL_REQUEST_CLOSED_EVENTS, branch, region),
  ];
}

function webhookCommand(projectName: string, events: string[], branch: string, region: string): string {
  const filterGroups = [[
    { type: 'EVENT', pattern: events.join(', ') },
    { type: 'BASE_REF', pattern: baseRefPattern(branch) },
  ]];
  return `aws codebuild create-webhook --project-name ${projectName} --region ${region} --filter-groups '${JSON.stringify(filterGroups)}'`;
}

/** The webhook events of a pull request merged or closed unmerged: two events on every host (Bitbucket's closed is "declined"). */
export const PULL_REQUEST_CLOSED_EVENTS = ['PULL_REQUEST_MERGED', 'PULL_REQUEST_CLOSED'];

/** The projects that deploy and destroy the previews of pull requests, and the one whose status links to a preview. */
export function previewProjectNames(serviceName: string): { deploy: string; destroy: string; link: string } {
  return { deploy: `${serviceName}-previews`, destroy: `${serviceName}-preview-teardown`, link: `${serviceName}-preview-link` };
}

/**
 * Whether a commit status on the host can link somewhere else than its build: StartBuild's
 * buildStatusConfigOverride (context, targetUrl) is used only for GitHub, GitHub Enterprise
 * Server and Bitbucket (CodeBuild API reference, BuildStatusConfig); GitLab's status links to the build.
 */
export function previewLinkSupported(provider: SourceProvider): boolean {
  return provider !== SourceProvider.GITLAB;
}

/** Name (context) of the status whose link is a pull request's preview. */
export function previewLinkContext(serviceName: string): string {
  return `${serviceName} preview`;
}

/** Whose pull requests start a preview's deploy at once: members with an approver role; anyone else's wait for a member's comment. */
export const PREVIEW_COMMENT_APPROVAL = 'ALL_PULL_REQUESTS';
