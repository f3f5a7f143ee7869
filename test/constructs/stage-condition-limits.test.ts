import { Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { stageConditionProblems, STAGE_CONDITION_LIMITS } from '../../src/constructs/private/stage-condition-limits';
import { EVERY_OPTION, pipelineStack, THREE_STAGES } from '../helpers/pipeline';

const windowRule = {
  Name: 'prod-deployment-window',
  RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'DeploymentWindow', Version: '1' },
  Configuration: { Cron: '* * 9-16 ? * MON-THU', TimeZone: 'Europe/Berlin' },
};
const alarmRule = (name: string) => ({
  Name: name,
  RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'CloudWatchAlarm', Version: '1' },
  Configuration: { AlarmName: name, AlarmStates: 'ALARM' },
  Region: 'eu-west-1',
  RoleArn: 'arn:aws:iam::333333333333:role/serverless-service/orders/staging/orders-staging-alarm-reader',
});
const ALARMS = ['lambda-errors', 'api-5xx', 'latency-p99', 'lambda-throttles'].map((a) => alarmRule(`orders-staging-${a}`));

describe('the limits of stage conditions', () => {
  test('refuse the shape 0.4.0 wrote for a windowed, gated stage: two entry conditions', () => {
    const stage040 = { Name: 'prod', BeforeEntry: { Conditions: [{ Result: 'FAIL', Rules: [windowRule] }, { Result: 'FAIL', Rules: ALARMS }] } };
    expect(stageConditionProblems([stage040])).toEqual(['stage prod BeforeEntry has 2 conditions; CodePipeline takes exactly 1.']);
  });

  test('take one condition of five rules, and no sixth', () => {
    expect(stageConditionProblems([{ Name: 'prod', BeforeEntry: { Conditions: [{ Result: 'FAIL', Rules: [windowRule, ...ALARMS] }] } }])).toEqual([]);
    const six = [windowRule, ...ALARMS, alarmRule('orders-staging-extra')];
    expect(stageConditionProblems([{ Name: 'prod', BeforeEntry: { Conditions: [{ Result: 'FAIL', Rules: six }] } }]))
      .toEqual(['stage prod BeforeEntry has 6 rules in its condition; CodePipeline takes 1 to 5.']);
  });

  test('refuse a rule name CodePipeline would refuse, or a repeated one, in OnSuccess and OnFailure too', () => {
    expect(stageConditionProblems([{ Name: 's', OnSuccess: { Conditions: [{ Result: 'ROLLBACK', Rules: [alarmRule('has space')] }] } }]))
      .toEqual(['stage s OnSuccess has a rule named "has space"; a rule name is 1 to 100 letters, digits and . @ - _.']);
    expect(stageConditionProblems([{ Name: 's', OnFailure: { Result: 'ROLLBACK', Conditions: [{ Result: 'ROLLBACK', Rules: [alarmRule('a'.repeat(101))] }] } }]))
      .toHaveLength(1);
    expect(stageConditionProblems([{ Name: 's', BeforeEntry: { Conditions: [{ Result: 'FAIL', Rules: [alarmRule('a'), alarmRule('a')] }] } }]))
      .toEqual(['stage s BeforeEntry has two rules named "a"; each rule of a condition needs its own name.']);
    expect(STAGE_CONDITION_LIMITS.ruleName.test('orders-staging-lambda-throttles')).toBe(true);
  });

  test('refuse a role that is not an IAM role ARN and a region that is not a region name', () => {
    const bad = { ...alarmRule('a'), Region: 'eu', RoleArn: 'arn:aws:iam::333333333333:user/someone' };
    expect(stageConditionProblems([{ Name: 's', BeforeEntry: { Conditions: [{ Result: 'FAIL', Rules: [bad] }] } }])).toEqual([
      'stage s BeforeEntry rule a has the region "eu", not a region name.',
      'stage s BeforeEntry rule a has the role "arn:aws:iam::333333333333:user/someone", not an IAM role ARN.',
    ]);
  });
});

describe('every synthesized pipeline holds the limits', () => {
  const shapes: Array<[string, () => ReturnType<typeof pipelineStack>]> = [
    ['three default stages', () => pipelineStack()],
    ['every option set', () => pipelineStack(EVERY_OPTION.stages, undefined, EVERY_OPTION.overrides)],
    ['a window on every stage, each gated and approved', () => pipelineStack(THREE_STAGES.map((s) => ({
      ...s, manualApproval: true, deploymentWindow: { cron: '* * 9-16 ? * MON-FRI', timeZone: 'UTC' },
    })))],
  ];

  test.each(shapes)('%s', (_name, build) => {
    const template = Template.fromStack(build()).toJSON();
    const [pipeline] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline');
    expect(stageConditionProblems(pipeline.Properties.Stages)).toEqual([]);
    // Something is checked: every stage after the first has its one entry condition.
    const entered = pipeline.Properties.Stages.filter((s: any) => s.BeforeEntry).map((s: any) => s.BeforeEntry.Conditions.length);
    expect(entered.length).toBeGreaterThanOrEqual(2);
    expect(new Set(entered)).toEqual(new Set([1]));
  });

  test('the synth itself refuses a pipeline beyond them, such as a second entry condition an extension writes', () => {
    const stack = pipelineStack();
    const cfnPipeline = stack.pipeline.pipeline.node.defaultChild as codepipeline.CfnPipeline;
    const prod = stack.pipeline.pipeline.stages.findIndex((s) => s.stageName === 'prod');
    cfnPipeline.addPropertyOverride(`Stages.${prod}.BeforeEntry`, { Conditions: [{ Result: 'FAIL', Rules: ALARMS }, { Result: 'FAIL', Rules: [windowRule] }] });
    expect(() => Template.fromStack(stack)).toThrow(/stage prod BeforeEntry has 2 conditions; CodePipeline takes exactly 1\./);
  });
});
