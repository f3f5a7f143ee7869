import {
  CloudFormationClient, DescribeStackDriftDetectionStatusCommand, DescribeStackResourceDriftsCommand, DescribeStackResourceDriftsCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { ApiAuthorization } from '../../src';
import { DriftDetectionEvent, handler } from '../../src/constructs/functions/drift-report';
import { DRIFT_READ_ACTIONS, NOT_READ_TYPES } from '../../src/constructs/private/drift-reads';
import { captureConsole } from '../helpers/console-capture';
import { matches, transform } from '../helpers/eventbridge';
import { pipelineStack, serviceApp, THREE_STAGES } from '../helpers/pipeline';
import { recordedDrift } from '../helpers/recorded-drift';

const STACK_ID = 'arn:aws:cloudformation:eu-central-1:444444444444:stack/orders-prod/489e5570-df85-11e7-a7d9-50example';
const OTHER_STACK = 'arn:aws:cloudformation:eu-central-1:444444444444:stack/orders-prod-eu/489e5570-df85-11e7-a7d9-50example';
const DETECTION_ID = '624af370-311a-11e8-b6b7-500cexample';
const CONSOLE_URL = 'https://eu-central-1.console.aws.amazon.com/cloudformation/home?region=eu-central-1#/stacks/drifts?stackId='
  + 'arn%3Aaws%3Acloudformation%3Aeu-central-1%3A444444444444%3Astack%2Forders-prod%2F489e5570-df85-11e7-a7d9-50example';

/** The documented event, for the fixture's prod stack: its account, region and stack id (the example's lacks the id part). */
const DOCUMENTED_EVENT: DriftDetectionEvent = (() => {
  const event = recordedDrift('drift-detection-event.json');
  return { ...event, account: '444444444444', region: 'eu-central-1', detail: { ...event.detail, 'stack-id': STACK_ID } };
})();
const DOCUMENTED_DRIFTS: DescribeStackResourceDriftsCommandOutput = recordedDrift('describe-stack-resource-drifts.json');

const NOTIFICATIONS = { emailSubscribers: ['orders-oncall@example.com'], slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD' };
const pipeline = pipelineStack(undefined, serviceApp(), { notifications: NOTIFICATIONS });
const [dev, staging, prod] = pipeline.serviceStages.map((stage) => Template.fromStack(stage.serviceStack));
const pipelineTemplate = Template.fromStack(pipeline);

/** A template value with the partition filled in, as CloudFormation resolves it in the stage's region. */
function resolved(value: any): any {
  if (Array.isArray(value)) return value.map(resolved);
  if (value?.Ref === 'AWS::Partition') return 'aws';
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(resolved).join(value['Fn::Join'][0]);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v)]));
  return value;
}

const [[roleId, role]] = Object.entries(prod.findResources('AWS::IAM::Role', {
  Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })] } },
}));

describe('the schedule', () => {
  test('calls DetectStackDrift on the stage\'s own stack, through the universal target and the detection role', () => {
    prod.resourceCountIs('AWS::Scheduler::Schedule', 1);
    const schedule = Object.values(prod.findResources('AWS::Scheduler::Schedule'))[0].Properties;
    expect(resolved(schedule)).toEqual({
      Name: 'orders-prod-drift',
      Description: 'Detects drift of orders-prod',
      ScheduleExpression: 'rate(1 day)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: 'arn:aws:scheduler:::aws-sdk:cloudformation:detectStackDrift',
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
        Input: '{"StackName":"orders-prod"}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      },
    });
  });

  test('runs daily by default, in every profile', () => {
    const expressions = [dev, staging, prod].map((t) => Object.values(t.findResources('AWS::Scheduler::Schedule'))[0].Properties.ScheduleExpression);
    expect(expressions).toEqual(['rate(1 day)', 'rate(1 day)', 'rate(1 day)']);
  });

  test('takes the stage\'s driftDetectionSchedule; "off" leaves the stage without drift detection', () => {
    const stages = pipelineStack([
      { ...THREE_STAGES[0], driftDetectionSchedule: 'off' },
      { ...THREE_STAGES[1], driftDetectionSchedule: 'cron(0 6 ? * MON-FRI *)' },
    ]).serviceStages;
    const [off, weekdays] = stages.map((s) => Template.fromStack(s.serviceStack));
    expect(stages[0].serviceStack.driftDetection).toBeUndefined();
    off.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(Object.keys(off.findResources('AWS::Lambda::Function'))).toHaveLength(2);
    weekdays.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 6 ? * MON-FRI *)' });
  });
});

describe('the detection role', () => {
  test('may be assumed by EventBridge Scheduler for this account only', () => {
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '444444444444' } },
    }]);
  });

  test('may start a detection of this stack, and read what drift detection compares, nothing more', () => {
    expect(resolved(role.Properties.Policies)).toEqual([{
      PolicyName: 'DetectDrift',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['cloudformation:DetectStackDrift', 'cloudformation:DetectStackResourceDrift'], Resource: { Ref: 'AWS::StackId' } },
          {
            Effect: 'Allow',
            Action: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
            Resource: 'arn:aws:iam::444444444444:role/*orders-prod-*',
          },
          {
            Effect: 'Allow',
            Action: [
              'apigateway:GET',
              'cloudformation:BatchDescribeTypeConfigurations',
              'cloudwatch:DescribeAlarms', 'cloudwatch:GetDashboard', 'cloudwatch:ListTagsForResource',
              'codedeploy:BatchGetDeploymentGroups', 'codedeploy:GetApplication', 'codedeploy:GetDeploymentGroup', 'codedeploy:ListTagsForResource',
              'events:DescribeRule', 'events:ListTargetsByRule',
              'lambda:GetAlias', 'lambda:GetFunction', 'lambda:GetFunctionCodeSigningConfig', 'lambda:GetFunctionConcurrency',
              'lambda:GetFunctionConfiguration', 'lambda:GetFunctionRecursionConfig', 'lambda:GetPolicy', 'lambda:GetProvisionedConcurrencyConfig',
              'lambda:GetRuntimeManagementConfig',
              'logs:DescribeLogGroups', 'logs:GetDataProtectionPolicy', 'logs:ListTagsForResource',
              'scheduler:GetSchedule',
              'wafv2:GetWebACLForResource',
            ],
            Resource: '*',
          },
        ],
      },
    }]);
    // No policy beside the inline one.
    expect(Object.values(prod.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))).toEqual([]);
  });

  test('lies under the stage\'s path, with the account\'s permissions boundary, as every role of a stage', () => {
    expect(role.Properties.Path).toBe('/serverless-service/orders/prod/');
    expect(resolved(role.Properties.PermissionsBoundary)).toBe('arn:aws:iam::444444444444:policy/serverless-service-boundary');
  });

  test('reads every resource type a stage deploys, with every option set', () => {
    const stages = pipelineStack([
      { ...THREE_STAGES[0], tracing: true, reservedConcurrency: 5, authorization: ApiAuthorization.IAM },
      {
        ...THREE_STAGES[1],
        authorization: ApiAuthorization.COGNITO,
        cognitoUserPoolArn: 'arn:aws:cognito-idp:eu-west-1:333333333333:userpool/eu-west-1_AbCdEf123',
        webAclArn: 'arn:aws:wafv2:eu-west-1:333333333333:regional/webacl/orders/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      },
      THREE_STAGES[2],
    ], serviceApp(), { notifications: NOTIFICATIONS }).serviceStages;
    const types = new Set(stages.flatMap((s) => Object.values<any>(Template.fromStack(s.serviceStack).toJSON().Resources).map((r) => r.Type)));
    expect([...types].filter((type) => !DRIFT_READ_ACTIONS[type] && !NOT_READ_TYPES.has(type))).toEqual([]);
  });
});

describe('the report', () => {
  const functionId = Object.keys(prod.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ REPORT_SOURCE: 'serverless-service' }) } },
  }))[0];
  const resultRule = Object.values(prod.findResources('AWS::Events::Rule'))
    .find((r) => JSON.stringify(r.Properties.Targets).includes(functionId))!.Properties;

  test('is made by a function that receives this stack\'s completed and failed detections, retried twice within the hour', () => {
    expect(resolved(resultRule.EventPattern)).toEqual({
      'source': ['aws.cloudformation'],
      'detail-type': ['CloudFormation Drift Detection Status Change'],
      'detail': {
        'stack-id': [{ prefix: 'arn:aws:cloudformation:eu-central-1:444444444444:stack/orders-prod/' }],
        'status-details': { 'detection-status': ['DETECTION_COMPLETE', 'DETECTION_FAILED'] },
      },
    });
    expect(resultRule.Targets).toEqual([expect.objectContaining({
      Arn: { 'Fn::GetAtt': [functionId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
    })]);
    expect(matches(resolved(resultRule.EventPattern), DOCUMENTED_EVENT)).toBe(true);
    expect(matches(resolved(resultRule.EventPattern), { ...DOCUMENTED_EVENT, detail: { ...DOCUMENTED_EVENT.detail, 'stack-id': OTHER_STACK } })).toBe(false);
  });

  test('its function may read this stack\'s drifts and detections, put events on this account\'s default bus and send its traces, nothing more', () => {
    const fn = prod.toJSON().Resources[functionId].Properties;
    const fnRoleId = fn.Role['Fn::GetAtt'][0];
    const policies = Object.values(prod.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(fnRoleId));
    expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
    expect(policies.map((p) => resolved(p.Properties.PolicyDocument.Statement))).toEqual([[
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
    ], [
      { Effect: 'Allow', Action: 'cloudformation:DescribeStackResourceDrifts', Resource: { Ref: 'AWS::StackId' } },
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: 'arn:aws:events:eu-central-1:444444444444:event-bus/default' },
      { Effect: 'Allow', Action: 'cloudformation:DescribeStackDriftDetectionStatus', Resource: '*' },
    ]]);
    expect(prod.toJSON().Resources[fnRoleId].Properties.Policies.map((p: any) => p.PolicyName)).toEqual(['Logs']);
    expect(fn.Environment.Variables).toEqual({
      SERVICE: 'orders', STAGE: 'prod', STACK_NAME: 'orders-prod', REPORT_SOURCE: 'serverless-service', REPORT_DETAIL_TYPE: 'Service Stack Drift',
    });
  });

  test('is forwarded by the stage account to the pipeline account\'s default bus, matched on the service\'s name', () => {
    prod.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectEquals({ 'source': ['serverless-service'], 'detail-type': ['Service Stack Drift'], 'detail': { serviceName: ['orders'] } }),
      Targets: [Match.objectLike({ Arn: 'arn:aws:events:eu-west-1:111111111111:event-bus/default' })],
    });
  });

  test('is published in the pipeline account from the stage accounts only, to the emails\' topic and the Slack channel\'s', () => {
    const [rule] = Object.values(pipelineTemplate.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: { source: ['serverless-service'] } },
    })).map((r) => r.Properties);
    expect(rule.EventBusName).toBe('default');
    expect(rule.EventPattern).toEqual({
      'source': ['serverless-service'],
      'detail-type': ['Service Stack Drift'],
      'account': ['222222222222', '333333333333', '444444444444'],
      'detail': { serviceName: ['orders'] },
    });
    expect(rule.Targets.map((t: any) => t.Arn.Ref)).toEqual([topicId('NotificationsTopic'), topicId('NotificationsChatTopic')]);
  });
});

const cloudformation = mockClient(CloudFormationClient);
const eventbridge = mockClient(EventBridgeClient);
const logs = captureConsole('log');
const savedEnv = process.env;

beforeEach(() => {
  cloudformation.reset();
  eventbridge.reset();
  eventbridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  cloudformation.on(DescribeStackResourceDriftsCommand).resolves(DOCUMENTED_DRIFTS);
  // As DriftDetection sets them on the function of the prod stage.
  process.env = {
    ...savedEnv, SERVICE: 'orders', STAGE: 'prod', STACK_NAME: 'orders-prod', REPORT_SOURCE: 'serverless-service', REPORT_DETAIL_TYPE: 'Service Stack Drift',
  };
});
afterEach(() => {
  process.env = savedEnv;
});

/** The one event the function put, as EventBridge delivers it in the pipeline account. */
function deliveredReport(): any {
  const calls = eventbridge.commandCalls(PutEventsCommand);
  expect(calls).toHaveLength(1);
  const [entry] = calls[0].args[0].input.Entries!;
  return { 'version': '0', 'id': 'r-1', 'source': entry.Source, 'detail-type': entry.DetailType, 'account': '444444444444', 'region': 'eu-central-1', 'detail': JSON.parse(entry.Detail!) };
}

describe('a drifted stack, as CloudFormation documents its event and DescribeStackResourceDrifts answer', () => {
  const rule = Object.values(pipelineTemplate.findResources('AWS::Events::Rule', {
    Properties: { EventPattern: { source: ['serverless-service'] } },
  }))[0].Properties;
  const targetOf = (topic: string) => rule.Targets.find((t: any) => t.Arn.Ref === topicId(topic)).InputTransformer;

  test('reaches the emails as text naming the stack, each drifted resource with its differences, and where to see them', async () => {
    await handler(DOCUMENTED_EVENT);
    const report = deliveredReport();
    expect(matches(rule.EventPattern, report)).toBe(true);
    expect(cloudformation.commandCalls(DescribeStackResourceDriftsCommand)[0].args[0].input)
      .toEqual({ StackName: STACK_ID, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] });

    expect(JSON.parse(transform(targetOf('NotificationsTopic'), report))).toBe([
      'orders-prod has drifted: 1 resource differs from the template (account 444444444444, eu-central-1)',
      'Queue (AWS::SQS::Queue) MODIFIED: https://sqs.us-east-1.amazonaws.com/099908667365/my-stack-with-resource-drift-Queue-494PBHCO76H4',
      '    /DelaySeconds expected 20, actual 120',
      '    /RedrivePolicy/maxReceiveCount expected 10, actual 12',
      `Drift details: ${CONSOLE_URL}`,
      'From the service\'s checkout: npx projen drift --stage prod',
    ].join('\n'));
  });

  test('reaches Slack in AWS Chatbot\'s custom notification format, the same content', async () => {
    await handler(DOCUMENTED_EVENT);
    const report = deliveredReport();

    expect(JSON.parse(transform(targetOf('NotificationsChatTopic'), report))).toEqual({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: 'orders-prod has drifted: 1 resource differs from the template',
        description: report.detail.summary,
        keywords: ['orders', 'prod', '444444444444'],
      },
    });
    expect(report.detail).toMatchObject({
      serviceName: 'orders',
      stageName: 'prod',
      stackName: 'orders-prod',
      stackId: STACK_ID,
      driftedResourceCount: 1,
      consoleUrl: CONSOLE_URL,
      resources: [{ logicalResourceId: 'Queue', resourceType: 'AWS::SQS::Queue', status: 'MODIFIED' }],
    });
    expect(logs).toEqual([expect.stringContaining('"message":"drift report published"')]);
  });

  test('a failed detection is reported with CloudFormation\'s reason', async () => {
    cloudformation.on(DescribeStackDriftDetectionStatusCommand).resolves({
      StackId: STACK_ID,
      StackDriftDetectionId: DETECTION_ID,
      DetectionStatus: 'DETECTION_FAILED',
      StackDriftStatus: 'DRIFTED',
      Timestamp: new Date(),
      DetectionStatusReason: 'Failed to detect drift on resources [Uploads]',
    });
    await handler(withStatus('DRIFTED', 'DETECTION_FAILED'));
    const { detail } = deliveredReport();
    expect(cloudformation.commandCalls(DescribeStackDriftDetectionStatusCommand)[0].args[0].input).toEqual({ StackDriftDetectionId: DETECTION_ID });
    expect(detail.title).toBe('Drift detection of orders-prod failed; 1 resource differs from the template');
    expect(detail.summary.split('\n')[0]).toBe('Reason: Failed to detect drift on resources [Uploads]');
  });

  test('the drift is still reported when its resources cannot be read, saying why', async () => {
    cloudformation.on(DescribeStackResourceDriftsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    await handler(DOCUMENTED_EVENT);
    const { detail } = deliveredReport();
    expect(detail.title).toBe('orders-prod has drifted: 0 resources differ from the template');
    expect(detail.driftedResourceCount).toBe(1);
    expect(detail.summary).toContain('The drifted resources could not be read: Throttling: Rate exceeded');
  });

  test('a stack in sync is not reported', async () => {
    expect(await handler(withStatus('IN_SYNC', 'DETECTION_COMPLETE'))).toBeUndefined();
    expect(eventbridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  test('a report EventBridge refuses fails the invocation, so that EventBridge retries it', async () => {
    eventbridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] });
    await expect(handler(DOCUMENTED_EVENT)).rejects.toThrow('The drift report was not published: InternalFailure: try again');
  });
});

function topicId(prefix: string): string {
  return Object.keys(pipelineTemplate.findResources('AWS::SNS::Topic')).find((id) => id.startsWith(prefix))!;
}

function withStatus(driftStatus: string, detectionStatus: string): DriftDetectionEvent {
  return { ...DOCUMENTED_EVENT, detail: { ...DOCUMENTED_EVENT.detail, 'status-details': { 'stack-drift-status': driftStatus, 'detection-status': detectionStatus } } };
}
