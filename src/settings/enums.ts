/**
 * What a stage is for; it decides the defaults of every per-stage setting.
 */
export enum StageProfile {
  /** First stop of every change: fast, cheap, short-lived logs. */
  DEVELOPMENT = 'DEVELOPMENT',
  /** Production-like rehearsal: canary deploys, a month of logs. */
  PRE_PRODUCTION = 'PRE_PRODUCTION',
  /** Real users: the most careful canary, a year of logs, no cross-origin callers unless listed. */
  PRODUCTION = 'PRODUCTION',
}

/**
 * How CodeDeploy shifts traffic to a new version, named as CodeDeploy's predefined Lambda configurations.
 */
export enum DeploymentStrategy {
  /** Every request moves to the new version at once. */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
  /** 10% for 5 minutes, then the rest. */
  CANARY_10PERCENT_5MINUTES = 'CANARY_10PERCENT_5MINUTES',
  /** 10% for 10 minutes, then the rest. */
  CANARY_10PERCENT_10MINUTES = 'CANARY_10PERCENT_10MINUTES',
  /** 10% for 15 minutes, then the rest. */
  CANARY_10PERCENT_15MINUTES = 'CANARY_10PERCENT_15MINUTES',
  /** 10% for 30 minutes, then the rest. */
  CANARY_10PERCENT_30MINUTES = 'CANARY_10PERCENT_30MINUTES',
  /** 10% more every minute. */
  LINEAR_10PERCENT_EVERY_1MINUTE = 'LINEAR_10PERCENT_EVERY_1MINUTE',
  /** 10% more every 2 minutes. */
  LINEAR_10PERCENT_EVERY_2MINUTES = 'LINEAR_10PERCENT_EVERY_2MINUTES',
  /** 10% more every 3 minutes. */
  LINEAR_10PERCENT_EVERY_3MINUTES = 'LINEAR_10PERCENT_EVERY_3MINUTES',
  /** 10% more every 10 minutes. */
  LINEAR_10PERCENT_EVERY_10MINUTES = 'LINEAR_10PERCENT_EVERY_10MINUTES',
}

/**
 * Who may call a stage's API, as API Gateway checks it before the function runs.
 */
export enum ApiAuthorization {
  /** Anyone who can reach the URL: the app authenticates callers itself, if at all. */
  NONE = 'NONE',
  /** Callers sign requests with AWS credentials (SigV4) allowed `execute-api:Invoke` on the API. */
  IAM = 'IAM',
  /** Callers send an ID or access token of the Cognito user pool named by `cognitoUserPoolArn`. */
  COGNITO = 'COGNITO',
}

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
