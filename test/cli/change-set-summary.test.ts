import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { changeSetCommand } from '../../src/cli/change-set-command';
import {
  ChangeSetAnswer, changeSetDifferences, chatNotification, resourceChanges, shellQuote, summarizeChangeSets,
} from '../../src/cli/change-set-summary';
import { captureConsole } from '../helpers/console-capture';

// Recorded answers of describe-change-set, from CloudFormation's user guide ("Example change sets"): see the folder's README.
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'change-sets');
const answer = (name: string): ChangeSetAnswer => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
const asStack = (a: ChangeSetAnswer, stack: string): ChangeSetAnswer => ({ ...a, StackName: stack });

describe('the summary an approver reads', () => {
  test('calls a replacement out first, with the resource and its type, ahead of removals, additions and modifications', () => {
    const summary = summarizeChangeSets('prod', [asStack(answer('add-remove'), 'orders-prod'), asStack(answer('replacement'), 'orders-data')], 'us-east-1');
    const lines = summary.text.split('\n');
    expect(lines[0]).toBe('prod: 1 replaced, 1 removed, 2 added.');
    expect(lines[1]).toBe('Replaced, with a new physical resource (data in it is lost unless kept elsewhere): MyEC2Instance.');
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'REPLACED orders-data/MyEC2Instance',
      'REMOVED orders-prod/MyEC2Instance',
      'ADDED orders-prod/AutoScalingGroup',
      'ADDED orders-prod/LaunchConfig',
    ]);
    expect(summary.short).toBe('prod: 1 replaced, 1 removed, 2 added. REPLACED: MyEC2Instance (AWS::EC2::Instance).');
  });

  test('links to the change set that changes something, on the stage account\'s console', () => {
    const summary = summarizeChangeSets('prod', [answer('replacement')], 'us-east-1');
    expect(summary.url).toBe('https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/changesets/changes'
      + '?stackId=arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack%2FSampleStack%2F1a2345b6-0000-00a0-a123-00abc0abc000'
      + '&changeSetId=arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3AchangeSet%2FSampleChangeSet-multiple%2F1a2345b6-0000-00a0-a123-00abc0abc000');
  });

  test('a modification that replaces nothing is a modification', () => {
    expect(resourceChanges([answer('direct-modification')])).toEqual([
      { stack: 'SampleStack', kind: 'modified', logicalId: 'MyEC2Instance', resourceType: 'AWS::EC2::Instance' },
    ]);
  });

  test('an empty change set, which CloudFormation refuses as FAILED, is "no infrastructure change", linking to the stacks', () => {
    const empty = {
      ...answer('direct-modification'),
      Changes: [],
      Status: 'FAILED',
      StatusReason: 'The submitted information didn\'t contain changes. Submit different information to create a change set.',
    };
    const summary = summarizeChangeSets('prod', [empty], 'eu-central-1');
    expect(summary.short).toBe('prod: no infrastructure change (SampleStack): the release changes no resource.');
    expect(summary.url).toBe('https://eu-central-1.console.aws.amazon.com/cloudformation/home?region=eu-central-1#/stacks');
  });

  test('a change set that failed for another reason stops the review, naming the stack and the reason', () => {
    const failed = { ...answer('direct-modification'), Changes: [], Status: 'FAILED', StatusReason: 'Template format error: Unresolved resource dependencies [Foo]' };
    expect(() => summarizeChangeSets('prod', [failed], 'us-east-1'))
      .toThrow('The change set of SampleStack failed: Template format error: Unresolved resource dependencies [Foo]');
  });

  test('a stack the release creates is reported as a new stack', () => {
    const summary = summarizeChangeSets('prod', [{ StackName: 'orders-prod', Status: 'NEW_STACK' }], 'us-east-1');
    expect(summary.short).toBe('prod: 1 added.');
    expect(summary.text).toContain('orders-prod/(new stack) (AWS::CloudFormation::Stack)');
  });

  test('the approval\'s comment never passes its limit, however many replacements', () => {
    const many: ChangeSetAnswer = {
      StackName: 'orders-prod',
      Changes: Array.from({ length: 60 }, (_, i) => ({ Type: 'Resource', ResourceChange: { Action: 'Modify', Replacement: 'True', LogicalResourceId: `Table${i}`, ResourceType: 'AWS::DynamoDB::Table' } })),
    };
    const { short } = summarizeChangeSets('prod', [many], 'us-east-1');
    expect(short.length).toBe(400);
    expect(short.startsWith('prod: 60 replaced. REPLACED: Table0 (AWS::DynamoDB::Table)')).toBe(true);
    expect(short.endsWith('…')).toBe(true);
  });

  test('reaches Slack in AWS Chatbot\'s custom notification format', () => {
    const message = JSON.parse(chatNotification('orders', 'prod', summarizeChangeSets('prod', [answer('replacement')], 'us-east-1')));
    expect(message).toMatchObject({ version: '1.0', source: 'custom', content: { title: 'orders: release to prod awaits approval' } });
    expect(message.content.description).toContain('REPLACED       SampleStack/MyEC2Instance (AWS::EC2::Instance)');
    expect(message.content.description).toContain('Change set: https://us-east-1.console.aws.amazon.com/');
  });
});

describe('the change set about to execute against the one reviewed', () => {
  test('the same changes are the same, whatever the change set\'s name or time', () => {
    const executing = { ...answer('replacement'), ChangeSetName: 'PipelineChange', CreationTime: '2026-12-03T10:00:00Z' };
    expect(changeSetDifferences([answer('replacement')], [executing])).toEqual([]);
  });

  test('a resource changed otherwise, or only in one of them, is a difference, named', () => {
    expect(changeSetDifferences([answer('direct-modification')], [answer('replacement')])).toEqual([
      'not reviewed: SampleStack/MyEC2Instance (AWS::EC2::Instance) replaced',
      'reviewed, no longer in the change set: SampleStack/MyEC2Instance (AWS::EC2::Instance) modified',
    ]);
  });
});

describe('serverless-service change-set', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'change-set-'));
  const printed = captureConsole('log', 'error');
  const run = (args: string[]) => ({ result: changeSetCommand(args), output: printed.join('\n') });
  const file = (name: string) => path.join(FIXTURES, `${name}.json`);

  test('summary writes the approval\'s variables as a file the build\'s shell sources, quotes and all', () => {
    const env = path.join(dir, 'approval.env');
    const chat = path.join(dir, 'chat.json');
    const { result, output } = run(['summary', '--service', 'orders', '--stage', 'prod', '--region', 'us-east-1',
      '--env', env, '--chat', chat, file('replacement')]);
    expect(result).toBe(0);
    expect(output).toContain('prod: 1 replaced.');
    const sourced = execFileSync('bash', ['-c', `. ${env} && printf '%s\\n%s' "$SUMMARY" "$CHANGE_SET_URL"`], { encoding: 'utf8' }).split('\n');
    expect(sourced[0]).toBe('prod: 1 replaced. REPLACED: MyEC2Instance (AWS::EC2::Instance).');
    expect(sourced[1]).toMatch(/^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudformation\/home\?region=us-east-1#\/stacks\/changesets\/changes\?stackId=/);
    expect(JSON.parse(fs.readFileSync(chat, 'utf8')).source).toBe('custom');
  });

  test('shell quoting survives quotes, dollars and backquotes', () => {
    const value = 'it\'s "$HOME" `date` \\';
    expect(execFileSync('bash', ['-c', `V=${shellQuote(value)}; printf '%s' "$V"`], { encoding: 'utf8' })).toBe(value);
  });

  test('compare exits 0 on the reviewed change set and 1, naming the differences, on another', () => {
    expect(run(['compare', file('replacement'), file('replacement')]).result).toBe(0);
    const { result, output } = run(['compare', file('direct-modification'), file('replacement')]);
    expect(result).toBe(1);
    expect(output).toContain('The change set to execute is not the one approved:');
    expect(output).toContain('not reviewed: SampleStack/MyEC2Instance (AWS::EC2::Instance) replaced');
  });

  test('refuses a file that is no describe-change-set answer, and usage mistakes', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"Stacks": []}');
    expect(() => changeSetCommand(['compare', bad, file('replacement')])).toThrow(`${bad} is not an answer of aws cloudformation describe-change-set (it has no StackName).`);
    expect(() => changeSetCommand(['summary', '--stage', 'prod', file('replacement')])).toThrow('change-set summary needs --service.');
    expect(run(['diff']).result).toBe(2);
  });
});
