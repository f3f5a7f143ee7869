import { readStageStacks } from './cloud-assembly';
import { executionPolicy, uncoveredResourceTypes } from '../policy/execution-policy';

/**
 * `serverless-service execution-policy [--assembly cdk.out]... [--account ACCOUNT]`: prints the
 * least-privilege CloudFormation execution policy of one stage account, computed from the
 * stage stacks of synthesized cloud assemblies. Several `--assembly` give one policy for all
 * their services: the execution role is the account's bootstrap role, shared by every service
 * deployed there. Fails, naming them, when the stacks hold resource types the policy cannot
 * cover, rather than print a policy the deploy would outgrow.
 */
export function executionPolicyCommand(args: string[]): number {
  const assemblies: string[] = [];
  let account: string | undefined;
  for (let i = 0; i < args.length; i++) {
    switch (args[i]) {
      case '--assembly': assemblies.push(args[++i]); break;
      case '--account': account = args[++i]; break;
      default: throw new Error(`Unknown argument "${args[i]}". Usage: serverless-service execution-policy [--assembly cdk.out]... [--account ACCOUNT]`);
    }
  }
  if (assemblies.length === 0) assemblies.push('cdk.out');
  const stacks = assemblies.flatMap(readStageStacks);
  const accounts = [...new Set(stacks.map((s) => s.account))].sort();
  if (accounts.length === 0) throw new Error(`${assemblies.join(', ')} holds no stage stacks.`);
  if (account === undefined && accounts.length > 1) {
    throw new Error(`The stages deploy to several accounts (${accounts.join(', ')}): choose one with --account; each gets its own policy.`);
  }
  const chosen = stacks.filter((s) => s.account === (account ?? accounts[0]));
  if (chosen.length === 0) throw new Error(`No stage deploys to account ${account}; the stages deploy to ${accounts.join(', ')}.`);

  const policy = executionPolicy(chosen);
  const uncovered = uncoveredResourceTypes(policy, chosen.flatMap((s) => Object.values(s.template.Resources ?? {}).map((r) => r.Type)));
  if (uncovered.length > 0) {
    console.error(`No execution policy can be computed: no IAM permissions are known for ${uncovered.join(', ')}. `
      + 'Add their service to SERVICE_PREFIXES in @org/serverless-service (src/constructs/private/execution-policy.ts).');
    return 1;
  }
  console.log(JSON.stringify(policy, undefined, 2));
  return 0;
}
