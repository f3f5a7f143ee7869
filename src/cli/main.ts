#!/usr/bin/env node
// The command line of @org/serverless-service, run by a service's projen tasks:
//   serverless-service bootstrap --pipeline ACCOUNT/REGION --stage ACCOUNT/REGION... [--policy ARN...] [--run]
import { spawnSync } from 'child_process';
import { bootstrapCommands, BootstrapTarget } from './bootstrap-commands';

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

function parseTarget(value: string | undefined, flag: string): BootstrapTarget {
  const match = /^(\d{12})\/([a-z0-9-]+)$/.exec(value ?? '');
  if (!match) throw new Error(`${flag} must be ACCOUNT/REGION, such as 123456789012/eu-west-1, got "${value ?? ''}".`);
  return { account: match[1], region: match[2] };
}

export function main(argv: string[]): number {
  const [command, ...args] = argv;
  if (command !== 'bootstrap') {
    console.error('Usage: serverless-service bootstrap --pipeline ACCOUNT/REGION --stage ACCOUNT/REGION... [--policy ARN...] [--run]');
    return 2;
  }
  let pipeline: BootstrapTarget | undefined;
  const stages: BootstrapTarget[] = [];
  const policies: string[] = [];
  let run = false;
  for (let i = 0; i < args.length; i++) {
    switch (args[i]) {
      case '--pipeline': pipeline = parseTarget(args[++i], '--pipeline'); break;
      case '--stage': stages.push(parseTarget(args[++i], '--stage')); break;
      case '--policy': policies.push(args[++i]); break;
      case '--run': run = true; break;
      default: throw new Error(`Unknown argument "${args[i]}". Run with --run to bootstrap, without it to print the commands.`);
    }
  }
  if (!pipeline) throw new Error('--pipeline ACCOUNT/REGION is required.');

  const commands = bootstrapCommands({ pipeline, stages, executionPolicies: policies.length ? policies : [ADMINISTRATOR_ACCESS] });
  if (!run) {
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

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
  }
}
