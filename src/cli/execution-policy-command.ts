import { accountPolicyArn } from './bootstrap-commands';
import { readStageStacks } from './cloud-assembly';
import { DeployedStack, executionPolicy, rolesOutsideScope, uncoveredResourceTypes } from '../policy/execution-policy';
import { MAX_POLICY_SIZE, permissionsBoundary, policySize } from '../policy/permissions-boundary';
import { PERMISSIONS_BOUNDARY_NAME } from '../settings/constants';

const USAGE = '[--assembly cdk.out]... [--account ACCOUNT]';

/**
 * `serverless-service execution-policy` and `serverless-service permissions-boundary`, each with
 * `[--assembly cdk.out]... [--account ACCOUNT]`: print the policy of one stage account, computed
 * from the stage stacks of synthesized cloud assemblies. Several `--assembly` give one policy for
 * all their services, as the account's bootstrap (its execution role) is shared by every service
 * deployed there. Fail, naming what, rather than print a policy the next deploy would outgrow.
 */
export function stageAccountPolicyCommand(kind: 'execution-policy' | 'permissions-boundary', args: string[]): number {
  const stacks = chosenStacks(kind, args);
  const { account } = stacks[0];
  const boundaryArn = accountPolicyArn(stacks[0], PERMISSIONS_BOUNDARY_NAME);

  const outside = rolesOutsideScope(stacks, boundaryArn);
  if (outside.length > 0) {
    console.error(`No ${kind} can be computed: every role of a stage needs its service's path and the boundary ${PERMISSIONS_BOUNDARY_NAME}, `
      + `which ServiceStage gives them: ${outside.join('; ')}.`);
    return 1;
  }
  const policy = kind === 'execution-policy' ? executionPolicy(stacks, boundaryArn) : permissionsBoundary(stacks);
  if (kind === 'execution-policy') {
    const uncovered = uncoveredResourceTypes(policy, stacks.flatMap((s) => Object.values(s.template.Resources ?? {}).map((r) => r.Type)));
    if (uncovered.length > 0) {
      console.error(`No execution policy can be computed: no IAM permissions are known for ${uncovered.join(', ')}. `
        + 'Add their service to SERVICE_PREFIXES in @org/serverless-service (src/policy/execution-policy.ts).');
      return 1;
    }
  }
  if (policySize(policy) > MAX_POLICY_SIZE) {
    console.error(`The ${kind} of account ${account} is ${policySize(policy)} characters long, over IAM's ${MAX_POLICY_SIZE}: `
      + 'give fewer --assembly at a time, or deploy some services to another account.');
    return 1;
  }
  console.log(JSON.stringify(policy, undefined, 2));
  return 0;
}

function chosenStacks(kind: string, args: string[]): DeployedStack[] {
  const assemblies: string[] = [];
  let account: string | undefined;
  for (let i = 0; i < args.length; i++) {
    switch (args[i]) {
      case '--assembly': assemblies.push(args[++i]); break;
      case '--account': account = args[++i]; break;
      default: throw new Error(`Unknown argument "${args[i]}". Usage: serverless-service ${kind} ${USAGE}`);
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
  return chosen;
}
