import { RegionInfo } from 'aws-cdk-lib/region-info';

/** One AWS environment to bootstrap. */
export interface BootstrapTarget {
  readonly account: string;
  readonly region: string;
}

/** What the bootstrap commands are built from: the pipeline's environment and every stage's. */
export interface BootstrapPlan {
  readonly pipeline: BootstrapTarget;
  readonly stages: BootstrapTarget[];
  /** Managed policies CloudFormation deploys the stages with. */
  readonly executionPolicies: string[];
  /**
   * Name of a customer-managed policy that exists in each stage account (made from
   * `serverless-service execution-policy`); when given, each stage deploys with its own
   * account's policy of that name instead of `executionPolicies`.
   */
  readonly executionPolicyName?: string;
}

/**
 * The `cdk bootstrap` commands a service needs, once per account and region: the
 * pipeline's environment as it is, and every stage environment trusting the pipeline
 * account and deploying with the given execution policies.
 */
export function bootstrapCommands(plan: BootstrapPlan): string[][] {
  const seen = new Set<string>();
  const commands: string[][] = [];
  const add = (target: BootstrapTarget, args: string[]) => {
    const key = `${target.account}/${target.region}`;
    if (seen.has(key)) return;
    seen.add(key);
    commands.push(['cdk', 'bootstrap', `aws://${key}`, ...args]);
  };
  const trust = (stage: BootstrapTarget) => ['--trust', plan.pipeline.account, '--cloudformation-execution-policies',
    (plan.executionPolicyName ? [accountPolicyArn(stage, plan.executionPolicyName)] : plan.executionPolicies).join(',')];

  // A stage in the pipeline's own environment still needs the execution policies, so stages come first.
  for (const stage of plan.stages) add(stage, trust(stage));
  add(plan.pipeline, []);
  return commands;
}

/** ARN of the customer-managed policy `name` in a stage's account. */
export function accountPolicyArn(stage: BootstrapTarget, name: string): string {
  return `arn:${partitionOf(stage.region)}:iam::${stage.account}:policy/${name}`;
}

/** The AWS partition of a region ("aws" for regions it does not know yet). */
export function partitionOf(region: string): string {
  return RegionInfo.get(region).partition ?? 'aws';
}
