import { bootstrapCommands } from '../../src/cli/bootstrap-commands';
import { main } from '../../src/cli/main';
import { captureConsole } from '../helpers/console-capture';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

describe('bootstrapCommands', () => {
  test('bootstraps every stage trusting the pipeline account, then the pipeline environment', () => {
    expect(bootstrapCommands({
      pipeline: { account: '111111111111', region: 'eu-west-1' },
      stages: [
        { account: '222222222222', region: 'eu-west-1' },
        { account: '333333333333', region: 'eu-central-1' },
      ],
      executionPolicies: [ADMIN],
    })).toEqual([
      ['cdk', 'bootstrap', 'aws://222222222222/eu-west-1', '--trust', '111111111111', '--cloudformation-execution-policies', ADMIN],
      ['cdk', 'bootstrap', 'aws://333333333333/eu-central-1', '--trust', '111111111111', '--cloudformation-execution-policies', ADMIN],
      ['cdk', 'bootstrap', 'aws://111111111111/eu-west-1'],
    ]);
  });

  test('bootstraps each environment once, with the stage\'s trust when a stage shares the pipeline\'s', () => {
    const commands = bootstrapCommands({
      pipeline: { account: '111111111111', region: 'eu-west-1' },
      stages: [{ account: '111111111111', region: 'eu-west-1' }, { account: '111111111111', region: 'eu-west-1' }],
      executionPolicies: ['arn:aws:iam::111111111111:policy/a', 'arn:aws:iam::111111111111:policy/b'],
    });
    expect(commands).toEqual([[
      'cdk', 'bootstrap', 'aws://111111111111/eu-west-1', '--trust', '111111111111',
      '--cloudformation-execution-policies', 'arn:aws:iam::111111111111:policy/a,arn:aws:iam::111111111111:policy/b',
    ]]);
  });
});

describe('serverless-service bootstrap', () => {
  const output = captureConsole('log', 'error');

  test('prints the commands without running them', () => {
    expect(main(['bootstrap', '--pipeline', '111111111111/us-east-1', '--stage', '222222222222/us-east-1'])).toBe(0);
    expect(output).toContain(`  npx cdk bootstrap aws://222222222222/us-east-1 --trust 111111111111 --cloudformation-execution-policies ${ADMIN}`);
    expect(output).toContain('  npx cdk bootstrap aws://111111111111/us-east-1');
  });

  test('refuses a malformed environment, naming the flag', () => {
    expect(() => main(['bootstrap', '--pipeline', '1111/us-east-1'])).toThrow('--pipeline must be ACCOUNT/REGION, such as 123456789012/eu-west-1, got "1111/us-east-1".');
  });

  test('refuses an unknown argument and a missing pipeline', () => {
    expect(() => main(['bootstrap', '--pipeline', '111111111111/us-east-1', '--force'])).toThrow(/Unknown argument "--force"/);
    expect(() => main(['bootstrap', '--stage', '222222222222/us-east-1'])).toThrow('--pipeline ACCOUNT/REGION is required.');
  });

  test('prints its usage for an unknown command', () => {
    expect(main(['deploy'])).toBe(2);
    expect(output[0]).toMatch(/^Usage: serverless-service bootstrap/);
  });
});

describe('bootstrapping with a least-privilege execution policy', () => {
  const output = captureConsole('log');

  test('each stage deploys with the policy of that name in its own account and partition', () => {
    expect(bootstrapCommands({
      pipeline: { account: '111111111111', region: 'eu-west-1' },
      stages: [{ account: '222222222222', region: 'eu-west-1' }, { account: '333333333333', region: 'cn-north-1' }],
      executionPolicies: [ADMIN],
      executionPolicyName: 'orders-cfn-execution',
    }).map((c) => c[c.length - 1])).toEqual([
      'arn:aws:iam::222222222222:policy/orders-cfn-execution',
      'arn:aws-cn:iam::333333333333:policy/orders-cfn-execution',
      'aws://111111111111/eu-west-1',
    ]);
  });

  test('prints how to make the boundary, then the policy, in each stage account, before the bootstrap commands', () => {
    expect(main(['bootstrap', '--pipeline', '111111111111/eu-west-1', '--stage', '222222222222/eu-west-1', '--execution-policy-name', 'orders-cfn-execution'])).toBe(0);
    const steps = [
      '  npx serverless-service permissions-boundary --account 222222222222 > permissions-boundary-222222222222.json',
      '  aws iam create-policy --policy-name serverless-service-boundary --policy-document file://permissions-boundary-222222222222.json',
      '  npx serverless-service execution-policy --account 222222222222 > execution-policy-222222222222.json',
      '  aws iam create-policy --policy-name orders-cfn-execution --policy-document file://execution-policy-222222222222.json',
      '  npx cdk bootstrap aws://222222222222/eu-west-1 --trust 111111111111 --cloudformation-execution-policies arn:aws:iam::222222222222:policy/orders-cfn-execution',
    ];
    // In this order: the execution policy names the boundary, and the bootstrap the execution policy.
    expect(steps.map((line) => output.indexOf(line))).toEqual([...steps.map((line) => output.indexOf(line))].sort((a, b) => a - b));
    expect(steps.every((line) => output.includes(line))).toBe(true);
    expect(output.join('\n')).not.toContain('AdministratorAccess');
  });

  test('refuses a policy name together with --policy', () => {
    expect(() => main(['bootstrap', '--pipeline', '111111111111/eu-west-1', '--policy', ADMIN, '--execution-policy-name', 'x']))
      .toThrow('--execution-policy-name takes one IAM policy name, without --policy; got "x".');
  });
});
