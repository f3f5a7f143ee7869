import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlarmForwarding } from '../../src';
import { serviceApp } from '../helpers/pipeline';

const PIPELINE_BUS_ARN = 'arn:aws:events:eu-west-1:111111111111:event-bus/default';

function stageStack(env?: { account: string; region: string }) {
  return new Stack(serviceApp(), 'orders-dev', { env });
}

describe('AlarmForwarding', () => {
  const stack = stageStack({ account: '222222222222', region: 'eu-west-1' });
  new AlarmForwarding(stack, 'AlarmForwarding', { serviceName: 'orders', targetAccount: '111111111111', targetRegion: 'eu-west-1' });
  const template = Template.fromStack(stack);

  test('matches the state changes of the service\'s alarms, from its own account', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectEquals({
        'source': ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        'detail': { alarmName: [{ prefix: 'orders-' }] },
      }),
    });
  });

  test('sends them to the pipeline account\'s default bus, through a role', () => {
    const roleId = Object.keys(template.findResources('AWS::IAM::Role'))[0];
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: PIPELINE_BUS_ARN, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })] },
    });
  });

  test('lets its roles (one per rule: alarms, drift reports) put events on that bus only', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument.Statement);
    expect(policies).toEqual([1, 2].map(() => [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: PIPELINE_BUS_ARN }]));
  });

  test('forwards the stage\'s drift reports too, matched on the service\'s name', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectEquals({ 'source': ['serverless-service'], 'detail-type': ['Service Stack Drift'], 'detail': { serviceName: ['orders'] } }),
      Targets: [Match.objectLike({ Arn: PIPELINE_BUS_ARN })],
    });
  });
});

test('is not needed, and refused, in the pipeline\'s own account and region', () => {
  const stack = stageStack({ account: '111111111111', region: 'eu-west-1' });
  expect(AlarmForwarding.isNeeded(stack, '111111111111', 'eu-west-1')).toBe(false);
  expect(() => new AlarmForwarding(stack, 'AlarmForwarding', {
    serviceName: 'orders', targetAccount: '111111111111', targetRegion: 'eu-west-1',
  })).toThrow(/already in 111111111111\/eu-west-1/);
});

test('is needed in another account, in another region of the same account, or where the stack\'s account is unknown', () => {
  expect(AlarmForwarding.isNeeded(stageStack({ account: '222222222222', region: 'eu-west-1' }), '111111111111', 'eu-west-1')).toBe(true);
  expect(AlarmForwarding.isNeeded(stageStack({ account: '111111111111', region: 'eu-central-1' }), '111111111111', 'eu-west-1')).toBe(true);
  expect(AlarmForwarding.isNeeded(stageStack(), '111111111111', 'eu-west-1')).toBe(true);
});

test('forwards to another region\'s bus when the pipeline is there', () => {
  const stack = stageStack({ account: '111111111111', region: 'eu-central-1' });
  new AlarmForwarding(stack, 'AlarmForwarding', { serviceName: 'orders', targetAccount: '111111111111', targetRegion: 'eu-west-1' });
  Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
    Targets: [Match.objectLike({ Arn: PIPELINE_BUS_ARN })],
  });
});
