#!/usr/bin/env node
// The command line of @org/serverless-service, run by a service's projen tasks:
//   serverless-service bootstrap --pipeline ACCOUNT/REGION --stage ACCOUNT/REGION... [--policy ARN... | --execution-policy-name NAME] [--run]
//   serverless-service execution-policy [--assembly cdk.out]... [--account ACCOUNT]
//   serverless-service permissions-boundary [--assembly cdk.out]... [--account ACCOUNT]
//   serverless-service template-merge [--dry-run]
//   serverless-service check-dependencies
//   serverless-service change-set summary|compare ...   (in the pipeline's approval and deploy steps)
//   serverless-service drift --stage NAME [--settings FILE]
//   serverless-service preview deploy|destroy [--pull-request N] [--settings FILE]   (in the pipeline's preview builds)
//   serverless-service sandbox deploy|destroy|list|url [--name NAME] [--watch] [--settings FILE]
import { spawnSync } from 'child_process';
import { bootstrapCommands, BootstrapTarget } from './bootstrap-commands';
import { CHANGE_SET_USAGE, changeSetCommand } from './change-set-command';
import { DRIFT_USAGE, driftCommand } from './drift-command';
import { stageAccountPolicyCommand } from './execution-policy-command';
import { checkDependenciesCommand } from './local-dependencies';
import { PREVIEW_USAGE, previewCommand } from './preview-command';
import { SANDBOX_USAGE, sandboxCommand } from './sandbox-command';
import { templateMergeCommand } from './template-merge-command';
import { PERMISSIONS_BOUNDARY_NAME } from '../settings/constants';

const USAGE = [
  'Usage: serverless-service bootstrap --pipeline ACCOUNT/REGION --stage ACCOUNT/REGION... [--policy ARN... | --execution-policy-name NAME] [--run]',
  '       serverless-service execution-policy [--assembly cdk.out]... [--account ACCOUNT]',
  '       serverless-service permissions-boundary [--assembly cdk.out]... [--account ACCOUNT]',
  '       serverless-service template-merge [--dry-run]',
  '       serverless-service check-dependencies',
  ...CHANGE_SET_USAGE,
  DRIFT_USAGE,
  PREVIEW_USAGE,
  SANDBOX_USAGE,
].join('\n');

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

function parseTarget(value: string | undefined, flag: string): BootstrapTarget {
  const match = /^(\d{12})\/([a-z0-9-]+)$/.exec(value ?? '');
  if (!match) throw new Error(`${flag} must be ACCOUNT/REGION, such as 123456789012/eu-west-1, got "${value ?? ''}".`);
  return { account: match[1], region: match[2] };
}

/** Runs one command; its exit code, or a promise of it for those that call AWS (drift, sandbox, preview). */
export function main(argv: string[]): number | Promise<number> {
  const [command, ...args] = argv;
  if (command === 'execution-policy' || command === 'permissions-boundary') return stageAccountPolicyCommand(command, args);
  if (command === 'template-merge') return templateMergeCommand(args);
  if (command === 'check-dependencies') return checkDependenciesCommand();
  if (command === 'change-set') return changeSetCommand(args);
  if (command === 'drift') return driftCommand(args);
  if (command === 'sandbox') return sandboxCommand(args);
  if (command === 'preview') return previewCommand(args);
  if (command !== 'bootstrap') {
    console.error(USAGE);
    return 2;
  }
  let pipeline: BootstrapTarget | undefined;
  const stages: BootstrapTarget[] = [];
  const policies: string[] = [];
  let policyName: string | undefined;
  let run = false;
  for (let i = 0; i < args.length; i++) {
    switch (args[i]) {
      case '--pipeline': pipeline = parseTarget(args[++i], '--pipeline'); break;
      case '--stage': stages.push(parseTarget(args[++i], '--stage')); break;
      case '--policy': policies.push(args[++i]); break;
      case '--execution-policy-name': policyName = args[++i]; break;
      case '--run': run = true; break;
      default: throw new Error(`Unknown argument "${args[i]}". Run with --run to bootstrap, without it to print the commands.`);
    }
  }
  if (!pipeline) throw new Error('--pipeline ACCOUNT/REGION is required.');
  if (policyName !== undefined && (policies.length > 0 || !/^[\w+=,.@-]{1,128}$/.test(policyName))) {
    throw new Error(`--execution-policy-name takes one IAM policy name, without --policy; got "${policyName}".`);
  }

  const commands = bootstrapCommands({
    pipeline, stages, executionPolicies: policies.length ? policies : [ADMINISTRATOR_ACCESS], executionPolicyName: policyName,
  });
  if (!run) {
    if (policyName) printPolicySteps(stages, policyName);
    console.log('Bootstrap every environment once, each with credentials for its own account:\n');
    commands.forEach((c) => console.log(`  npx ${c.join(' ')}`));
    console.log('\nOr run them all from here with: npx projen bootstrap --run (credentials must reach every account).');
    return 0;
  }
  for (const c of commands) {
    console.log(`> npx ${c.join(' ')}`);
    const result = spawnSync('npx', c, { stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`Bootstrapping failed at: npx ${c.join(' ')}`);
      return result.status ?? 1;
    }
  }
  return 0;
}

/** How to make the least-privilege policy `name` in each stage account, from the synthesized stages. */
function printPolicySteps(stages: BootstrapTarget[], name: string): void {
  console.log('First, in each stage account, create from the synthesized stages (npx projen synth writes cdk.out) the permissions '
    + `boundary ${PERMISSIONS_BOUNDARY_NAME}, which every role the stages create must carry, then the least-privilege policy ${name}, `
    + 'which lets CloudFormation create roles only with that boundary:\n');
  for (const account of [...new Set(stages.map((s) => s.account))]) {
    for (const [command, policy] of [['permissions-boundary', PERMISSIONS_BOUNDARY_NAME], ['execution-policy', name]]) {
      console.log(`  npx serverless-service ${command} --account ${account} > ${command}-${account}.json`);
      console.log(`  aws iam create-policy --policy-name ${policy} --policy-document file://${command}-${account}.json`);
    }
  }
  console.log('\nBoth belong to the account\'s bootstrap, which every service deployed there shares: where several '
    + 'services share an account, give one --assembly per service (their cdk.out folders) to get one policy of each for them all. '
    + 'When a service adds a new kind of resource or permission, publish the new versions with aws iam create-policy-version '
    + '--set-as-default, the boundary first.\n');
}

if (require.main === module) {
  // A command that throws, at once or later, is a usage error: its message says what to fix.
  Promise.resolve().then(() => main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  }, (error: Error) => {
    console.error(error.message);
    process.exitCode = 2;
  });
}
