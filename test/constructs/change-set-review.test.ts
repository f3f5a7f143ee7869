import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { REVIEW_COMMANDS, VERIFY_COMMANDS } from '../../src/constructs/private/change-set-review';
import { pipelineStack, THREE_STAGES } from '../helpers/pipeline';
import { pipelineStagesOf } from '../helpers/pipeline-structure';

const stack = pipelineStack(THREE_STAGES, undefined, { notifications: { emailSubscribers: ['oncall@example.com'], slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD' } });
const template = Template.fromStack(stack);
const json = template.toJSON();
const stages = pipelineStagesOf(json as any);
const actions = (name: string) => [...stages.find((s) => s.Name === name)!.Actions].sort((a, b) => a.RunOrder - b.RunOrder) as any[];
const projectOf = (action: any) => json.Resources[action.Configuration.ProjectName.Ref].Properties;
const envOf = (project: any) => Object.fromEntries(project.Environment.EnvironmentVariables.map((v: any) => [v.Name, v.Value]));
const statementsOf = (project: any) => Object.values<any>(template.findResources('AWS::IAM::Policy'))
  .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === project.ServiceRole['Fn::GetAtt'][0]))
  .flatMap((p) => p.Properties.PolicyDocument.Statement);

describe('a stage with a manual approval', () => {
  test('its approval stage makes and describes the change set first, then asks, showing the summary and linking to the change set', () => {
    expect(actions('Approve-prod').map((a) => [a.Name, a.RunOrder, a.ActionTypeId.Category])).toEqual([
      ['ChangeSet', 1, 'Build'],
      ['Approve-prod', 2, 'Approval'],
    ]);
    const [review, approval] = actions('Approve-prod');
    expect(approval.Configuration).toEqual({
      CustomData: `Release orders to prod? #{${review.Namespace}.SUMMARY}`,
      ExternalEntityLink: `#{${review.Namespace}.CHANGE_SET_URL}`,
    });
    expect(JSON.parse(projectOf(review).Source.BuildSpec).env['exported-variables']).toEqual(['SUMMARY', 'CHANGE_SET_URL']);
  });

  test('its own stage executes a change set only after checking it is the one approved', () => {
    expect(actions('prod').map((a) => [a.Name, a.RunOrder])).toEqual([
      ['orders-prod.Prepare', 1], ['orders-prod.Verify', 2], ['orders-prod.Deploy', 3], ['AcceptanceTests', 4],
    ]);
  });

  test('stages without an approval have neither the review nor the check', () => {
    for (const name of ['dev', 'staging']) expect(actions(name).map((a) => a.Name)).toEqual([`orders-${name}.Prepare`, `orders-${name}.Deploy`, 'AcceptanceTests']);
    expect(stages.map((s) => s.Name)).not.toContain('Approve-staging');
  });

  test('the review reads the very template the deploy uses, and works in the stage account through its bootstrap roles only', () => {
    const [review] = actions('Approve-prod');
    const env = envOf(projectOf(review));
    const prepare = actions('prod')[0];
    expect(`Synth_Output::${env.REVIEW_STACKS.split('=')[1]}`).toBe(prepare.Configuration.TemplatePath);
    expect(env).toMatchObject({
      SERVICE_NAME: 'orders',
      STAGE_NAME: 'prod',
      STAGE_REGION: 'eu-central-1',
      DEPLOY_ROLE_ARN: prepare.RoleArn,
      CFN_EXEC_ROLE_ARN: prepare.Configuration.RoleArn,
      PUBLISH_ROLE_ARN: 'arn:aws:iam::444444444444:role/cdk-hnb659fds-file-publishing-role-444444444444-eu-central-1',
      ASSET_BUCKET: 'cdk-hnb659fds-assets-444444444444-eu-central-1',
    });
    const statements = statementsOf(projectOf(review));
    expect(statements.filter((s) => s.Action === 'sts:AssumeRole')).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Resource: [prepare.RoleArn, 'arn:aws:iam::444444444444:role/cdk-hnb659fds-file-publishing-role-444444444444-eu-central-1'],
    }]);
  });

  test('the review publishes to the e-mail topic and to Slack\'s, and may publish nowhere else', () => {
    const [review] = actions('Approve-prod');
    const env = envOf(projectOf(review));
    const topics = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect([env.TOPIC_ARN, env.CHAT_TOPIC_ARN].map((t: any) => t.Ref).sort()).toEqual(topics.sort());
    const publish = statementsOf(projectOf(review)).filter((s) => s.Action === 'sns:Publish');
    expect(publish.flatMap((s) => [].concat(s.Resource)).map((r: any) => r.Ref).sort()).toEqual(topics.sort());
  });

  test('the check may read the pipeline\'s execution, to tell a rollback, and assume the stage\'s deploy role', () => {
    const verify = actions('prod')[1];
    expect(JSON.parse(verify.Configuration.EnvironmentVariables)).toEqual([
      { name: 'EXECUTION_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' },
    ]);
    const statements = statementsOf(projectOf(verify));
    expect(statements).toEqual(expect.arrayContaining([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: actions('prod')[0].RoleArn },
      {
        Action: 'codepipeline:GetPipelineExecution',
        Effect: 'Allow',
        Resource: 'arn:aws:codepipeline:eu-west-1:111111111111:orders-pipeline',
      },
    ]));
  });
});

/** Runs the commands as CodeBuild does (one shell; the build fails at the first command that fails) with stand-ins for aws and npx. */
function runAsCodeBuild(commands: string[], answers: Record<string, string | undefined>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'aws'), `#!/bin/bash
echo "$*" >> ${dir}/calls
case "$1 $2" in
  "cloudformation describe-stacks") [ -n "$FAKE_STACK_STATUS" ] || exit 254; case "$*" in *StackStatus*) echo "$FAKE_STACK_STATUS";; esac;;
  "cloudformation delete-change-set") exit 254;;
  "cloudformation describe-change-set") case "$*" in
      *PipelineChange*) cat "$FAKE_EXECUTING";;
      *) [ -n "$FAKE_REVIEWED" ] || exit 254; cat "$FAKE_REVIEWED";; esac;;
  "codepipeline get-pipeline-execution") echo "$FAKE_EXECUTION_TYPE";;
  "sns publish") for a in "$@"; do case "$a" in file://*) cat "\${a#file://}" >> ${dir}/published; echo >> ${dir}/published;; esac; done;;
esac
exit 0
`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\nshift\nexec node -r ${require.resolve('ts-node/register/transpile-only')} ${path.resolve(__dirname, '../../src/cli/main.ts')} "$@"\n`, { mode: 0o755 });
  fs.mkdirSync(path.join(dir, 'cdk.out', 'assembly-orders-pipeline-prod'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk.out', 'assembly-orders-pipeline-prod', 'prod.template.json'), '{}');
  const script = commands.map((command) => `{ ${command}\n} || exit $?`).join('\n');
  const result = spawnSync('bash', ['-c', script], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      TS_NODE_PROJECT: path.resolve(__dirname, '../../tsconfig.json'),
      CODEBUILD_RESOLVED_SOURCE_VERSION: '0123456789abcdef0123456789abcdef01234567',
      SERVICE_NAME: 'orders',
      STAGE_NAME: 'prod',
      STAGE_REGION: 'eu-central-1',
      STACK_NAME: 'orders-prod',
      REVIEW_STACKS: 'orders-prod=assembly-orders-pipeline-prod/prod.template.json',
      ASSET_BUCKET: 'cdk-hnb659fds-assets-444444444444-eu-central-1',
      TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:mail',
      CHAT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:chat',
      PIPELINE_NAME: 'orders-pipeline',
      EXECUTION_ID: 'e-1',
      ...Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined)),
    },
  });
  const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : '');
  return { status: result.status, output: result.stdout + result.stderr, calls: read('calls').trim().split('\n'), published: read('published'), dir };
}

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'change-sets');

describe('the review, run with stand-in aws and npx commands', () => {
  test('makes the change set from the uploaded template, summarizes it, exports the approval\'s variables and notifies both topics', () => {
    const run = runAsCodeBuild([...REVIEW_COMMANDS, 'printf "%s|%s" "$SUMMARY" "$CHANGE_SET_URL" > exported'],
      { FAKE_STACK_STATUS: 'UPDATE_COMPLETE', FAKE_REVIEWED: path.join(FIXTURES, 'replacement.json') });
    expect(run.status).toBe(0);
    const create = run.calls.find((c) => c.startsWith('cloudformation create-change-set'))!;
    expect(create).toContain('--stack-name orders-prod --change-set-name review-0123456789abcdef0123456789abcdef01234567');
    expect(create).toContain('--template-url https://cdk-hnb659fds-assets-444444444444-eu-central-1.s3.eu-central-1.amazonaws.com/'
      + 'review/0123456789abcdef0123456789abcdef01234567/orders-prod.template.json');
    expect(run.calls).toContain('s3 cp cdk.out/assembly-orders-pipeline-prod/prod.template.json s3://cdk-hnb659fds-assets-444444444444-eu-central-1/'
      + 'review/0123456789abcdef0123456789abcdef01234567/orders-prod.template.json --profile publish --region eu-central-1 --only-show-errors');
    expect(run.output).toContain('REPLACED       SampleStack/MyEC2Instance (AWS::EC2::Instance)');
    const [summary, url] = fs.readFileSync(path.join(run.dir, 'exported'), 'utf8').split('|');
    expect(summary).toBe('prod: 1 replaced. REPLACED: MyEC2Instance (AWS::EC2::Instance).');
    expect(url).toContain('#/stacks/changesets/changes?stackId=');
    expect(run.published).toContain('prod: 1 replaced.');
    expect(run.published).toContain('"source":"custom"');
  }, 60_000);

  test('reports a stack that does not exist yet as new, without a change set', () => {
    const run = runAsCodeBuild(REVIEW_COMMANDS, { FAKE_STACK_STATUS: undefined });
    expect(run.status).toBe(0);
    expect(run.calls.some((c) => c.includes('create-change-set'))).toBe(false);
    expect(run.output).toContain('orders-prod does not exist yet: this release creates it');
    expect(run.output).toContain('prod: 1 added.');
  }, 60_000);

  test('fails, and so stops the release before the approval, when the change set failed', () => {
    const failed = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cs-')), 'failed.json');
    fs.writeFileSync(failed, JSON.stringify({ StackName: 'orders-prod', Status: 'FAILED', StatusReason: 'Template format error' }));
    const run = runAsCodeBuild(REVIEW_COMMANDS, { FAKE_STACK_STATUS: 'UPDATE_COMPLETE', FAKE_REVIEWED: failed });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('The change set of orders-prod failed: Template format error');
    expect(run.calls.some((c) => c.startsWith('sns publish'))).toBe(false);
  }, 60_000);
});

describe('the check before the execution, run with stand-in aws and npx commands', () => {
  const replacement = path.join(FIXTURES, 'replacement.json');

  test('lets the reviewed change set execute', () => {
    const run = runAsCodeBuild(VERIFY_COMMANDS, { FAKE_EXECUTION_TYPE: 'STANDARD', FAKE_REVIEWED: replacement, FAKE_EXECUTING: replacement });
    expect([run.status, run.output.trim()]).toEqual([0, 'The change set to execute is the one reviewed before the approval.']);
  }, 60_000);

  test('stops another one, naming what the approver did not see', () => {
    const run = runAsCodeBuild(VERIFY_COMMANDS, {
      FAKE_EXECUTION_TYPE: 'STANDARD', FAKE_REVIEWED: path.join(FIXTURES, 'direct-modification.json'), FAKE_EXECUTING: replacement,
    });
    expect(run.status).toBe(1);
    expect(run.output).toContain('not reviewed: SampleStack/MyEC2Instance (AWS::EC2::Instance) replaced');
  }, 60_000);

  test('stops when the reviewed change set is gone (another release deployed since the approval)', () => {
    const run = runAsCodeBuild(VERIFY_COMMANDS, { FAKE_EXECUTION_TYPE: 'STANDARD', FAKE_STACK_STATUS: 'UPDATE_COMPLETE', FAKE_EXECUTING: replacement });
    expect(run.status).toBe(1);
    expect(run.output).toContain('The change set reviewed for 0123456789abcdef0123456789abcdef01234567 is gone');
  }, 60_000);

  test('lets a rollback and a stack\'s first release through, with no reviewed change set to compare', () => {
    expect(runAsCodeBuild(VERIFY_COMMANDS, { FAKE_EXECUTION_TYPE: 'ROLLBACK', FAKE_EXECUTING: replacement }).status).toBe(0);
    const first = runAsCodeBuild(VERIFY_COMMANDS, { FAKE_EXECUTION_TYPE: 'STANDARD', FAKE_STACK_STATUS: 'REVIEW_IN_PROGRESS', FAKE_EXECUTING: replacement });
    expect([first.status, first.output.trim()]).toEqual([0, 'orders-prod is created by this release, as reviewed']);
  }, 60_000);
});
