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
  const trust = ['--trust', plan.pipeline.account, '--cloudformation-execution-policies', plan.executionPolicies.join(',')];

  // A stage in the pipeline's own environment still needs the execution policies, so stages come first.
  for (const stage of plan.stages) add(stage, trust);
  add(plan.pipeline, []);
  return commands;
}
