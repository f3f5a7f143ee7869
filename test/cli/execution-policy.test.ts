import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { captureConsole } from '../helpers/console-capture';

/** A cloud assembly as `cdk synth` writes one: the pipeline stack on top, each stage in its nested assembly. */
function assembly(stages: Array<{ name: string; account: string; types: string[]; unbounded?: boolean; roleAllows?: string[] }>,
  service = 'orders'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const write = (file: string, value: unknown) => fs.writeFileSync(path.join(dir, file), JSON.stringify(value));
  const artifacts: Record<string, unknown> = {
    'orders-pipeline': { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-1', properties: { templateFile: 'orders-pipeline.template.json' } },
  };
  write('orders-pipeline.template.json', { Resources: { Pipeline: { Type: 'AWS::CodePipeline::Pipeline' } } });
  for (const stage of stages) {
    const nested = `assembly-orders-pipeline-${stage.name}`;
    artifacts[nested] = { type: 'cdk:cloud-assembly', properties: { directoryName: nested } };
    fs.mkdirSync(path.join(dir, nested));
    write(`${nested}/manifest.json`, {
      artifacts: {
        [`ordersorders${stage.name}`]: {
          type: 'aws:cloudformation:stack',
          environment: `aws://${stage.account}/eu-west-1`,
          properties: { templateFile: 'stack.template.json', stackName: `${service}-${stage.name}` },
        },
      },
    });
    // A role as ServiceStage leaves every role: under the stage's path, with the account's boundary.
    const properties = (type: string) => (type === 'AWS::IAM::Role' && !stage.unbounded ? {
      Path: `/serverless-service/${service}/${stage.name}/`,
      PermissionsBoundary: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':policy/serverless-service-boundary']] },
      Policies: [{ PolicyName: 'Allowed', PolicyDocument: { Statement: (stage.roleAllows ?? []).map((Action) => ({ Effect: 'Allow', Action, Resource: `arn:aws:${Action.split(':')[0]}:eu-west-1:${stage.account}:${service}` })) } }],
    } : undefined);
    write(`${nested}/stack.template.json`, { Resources: Object.fromEntries(stage.types.map((Type, i) => [`R${i}`, { Type, Properties: properties(Type) }])) });
  }
  write('manifest.json', { artifacts });
  return dir;
}

describe('serverless-service execution-policy', () => {
  const output = captureConsole('log', 'error');

  test('prints the policy of the stage account, from the stage stacks only', () => {
    const dir = assembly([{ name: 'dev', account: '222222222222', types: ['AWS::Lambda::Function', 'AWS::IAM::Role'] }]);
    expect(main(['execution-policy', '--assembly', dir])).toBe(0);
    const policy = JSON.parse(output.join('\n'));
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['StackServices', 'StackRoles', 'GrantOnlyWithinBoundary', 'RemoveRolesOfEarlierReleases', 'KeepPermissionsBoundary', 'KeepBoundaryPolicy']);
    expect(policy.Statement[0].Action).toEqual(['lambda:*']);
    expect(policy.Statement[1].Resource).toEqual(['arn:aws:iam::222222222222:role/serverless-service/orders/dev/*']);
    expect(policy.Statement[2].Condition).toEqual({ StringEquals: { 'iam:PermissionsBoundary': ['arn:aws:iam::222222222222:policy/serverless-service-boundary'] } });
  });

  test('needs --account when the stages deploy to several accounts, and prints that account\'s policy', () => {
    const dir = assembly([
      { name: 'dev', account: '222222222222', types: ['AWS::Lambda::Function'] },
      { name: 'prod', account: '444444444444', types: ['AWS::SNS::Topic'] },
    ]);
    expect(() => main(['execution-policy', '--assembly', dir]))
      .toThrow('The stages deploy to several accounts (222222222222, 444444444444): choose one with --account; each gets its own policy.');
    expect(main(['execution-policy', '--assembly', dir, '--account', '444444444444'])).toBe(0);
    expect(JSON.parse(output.join('\n')).Statement[0].Action).toEqual(['sns:*']);
    expect(() => main(['execution-policy', '--assembly', dir, '--account', '555555555555']))
      .toThrow('No stage deploys to account 555555555555; the stages deploy to 222222222222, 444444444444.');
  });

  test('gives one policy for several services sharing an account, from one --assembly each', () => {
    const orders = assembly([{ name: 'dev', account: '222222222222', types: ['AWS::Lambda::Function'] }]);
    const billing = assembly([{ name: 'dev', account: '222222222222', types: ['AWS::DynamoDB::Table'] }]);
    expect(main(['execution-policy', '--assembly', orders, '--assembly', billing])).toBe(0);
    expect(JSON.parse(output.join('\n')).Statement[0].Action).toEqual(['dynamodb:*', 'lambda:*']);
  });

  test('fails, naming them, on resource types it cannot cover', () => {
    const dir = assembly([{ name: 'dev', account: '222222222222', types: ['AWS::Lambda::Function', 'AWS::GameLift::Alias', 'AWS::IAM::User'] }]);
    expect(main(['execution-policy', '--assembly', dir])).toBe(1);
    expect(output).toEqual([expect.stringMatching(/^No execution policy can be computed: no IAM permissions are known for AWS::GameLift::Alias, AWS::IAM::User\./)]);
  });

  test('fails, naming it, on a role that would escape the boundary or the path', () => {
    const dir = assembly([{ name: 'dev', account: '222222222222', types: ['AWS::IAM::Role'], unbounded: true }]);
    expect(main(['execution-policy', '--assembly', dir])).toBe(1);
    expect(output).toEqual([expect.stringContaining('orders-dev/R0 has no path of the service; orders-dev/R0 is not bounded by '
      + 'arn:aws:iam::222222222222:policy/serverless-service-boundary')]);
  });

  test('gives one permissions boundary for several services sharing an account, from one --assembly each', () => {
    const orders = assembly([{ name: 'dev', account: '222222222222', types: ['AWS::IAM::Role'], roleAllows: ['sqs:SendMessage'] }]);
    const billing = assembly([{ name: 'dev', account: '222222222222', types: ['AWS::IAM::Role'], roleAllows: ['dynamodb:GetItem'] }], 'billing');
    expect(main(['permissions-boundary', '--assembly', orders, '--assembly', billing])).toBe(0);
    const boundary = JSON.parse(output.join('\n'));
    expect(boundary.Statement.map((s: any) => [s.Action, s.Resource])).toEqual(expect.arrayContaining([
      [['sqs:SendMessage'], ['arn:aws:sqs:eu-west-1:222222222222:orders']],
      [['dynamodb:GetItem'], ['arn:aws:dynamodb:eu-west-1:222222222222:billing']],
    ]));
  });

  test('refuses a folder that is not a cloud assembly, and unknown arguments', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
    expect(() => main(['execution-policy', '--assembly', empty])).toThrow(/is not a cloud assembly \(no manifest.json\): run cdk synth first/);
    expect(() => main(['execution-policy', '--force'])).toThrow(/Unknown argument "--force"/);
  });
});
