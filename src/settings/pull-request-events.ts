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
  const filterGroups = [[
    { type: 'EVENT', pattern: pullRequestEvents(SourceProvider.GITHUB_ENTERPRISE).join(', ') },
    { type: 'BASE_REF', pattern: baseRefPattern(branch) },
  ]];
  return `aws codebuild create-webhook --project-name ${pullRequestProjectName(serviceName)} --region ${region} --filter-groups '${JSON.stringify(filterGroups)}'`;
}
