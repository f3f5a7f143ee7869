import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import { AlarmForwarding, PullRequestBuild, ServiceNotifications, ServiceNotificationsProps } from '../../src';
import { cfnLintErrors, findTemplates } from '../helpers/cfn-lint';
import { transform } from '../helpers/eventbridge';
import { CONNECTION_ARN, PIPELINE_ENV, serviceApp } from '../helpers/pipeline';

const PIPELINE_ARN = 'arn:aws:codepipeline:eu-west-1:111111111111:orders-pipeline';

function notificationsStack(props: Partial<ServiceNotificationsProps> = {}, app = serviceApp()) {
  const stack = new Stack(app, 'orders-pipeline', { env: PIPELINE_ENV });
  const notifications = new ServiceNotifications(stack, 'Notifications', {
    serviceName: 'orders',
    pipeline: codepipeline.Pipeline.fromPipelineArn(stack, 'Pipeline', PIPELINE_ARN),
    stageAccounts: ['222222222222', '333333333333'],
    ...props,
  });
  return { stack, notifications, template: Template.fromStack(stack) };
}

const logicalId = (template: Template, type: string) => Object.keys(template.findResources(type))[0];
const asList = (value: unknown): unknown[] => (value === undefined ? [] : ([] as unknown[]).concat(value));

/** The service principals a policy's statements allow the action to (statements may be merged). */
function allowedServices(statements: any[], action: string): unknown[] {
  return statements
    .filter((s) => s.Effect === 'Allow' && asList(s.Action).includes(action))
    .flatMap((s) => asList(s.Principal?.Service));
}

describe('ServiceNotifications', () => {
  const { template } = notificationsStack({ emailSubscribers: ['ops@example.com', 'dev@example.org'] });
  const topicId = logicalId(template, 'AWS::SNS::Topic');

  test('encrypts the topic with a key that rotates', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key'), 'Arn'] },
    });
  });

  test.each(['codestar-notifications.amazonaws.com', 'events.amazonaws.com'])('lets %s publish to the topic and use its key', (service) => {
    const topicPolicy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties;
    expect(topicPolicy.Topics).toEqual([{ Ref: topicId }]);
    expect(allowedServices(topicPolicy.PolicyDocument.Statement, 'sns:Publish')).toContain(service);
    const keyPolicy = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy;
    expect(allowedServices(keyPolicy.Statement, 'kms:Decrypt')).toContain(service);
    expect(allowedServices(keyPolicy.Statement, 'kms:GenerateDataKey*')).toContain(service);
  });

  test('notifies the topic when the pipeline or one of its actions fails, once the topic policy exists', () => {
    const rules = template.findResources('AWS::CodeStarNotifications::NotificationRule');
    expect(Object.values(rules)).toHaveLength(1);
    const rule = Object.values(rules)[0];
    expect(rule.Properties).toMatchObject({
      Resource: PIPELINE_ARN,
      EventTypeIds: ['codepipeline-pipeline-pipeline-execution-failed', 'codepipeline-pipeline-action-execution-failed'],
      Targets: [{ TargetType: 'SNS', TargetAddress: { Ref: topicId } }],
    });
    expect(rule.DependsOn).toContain(logicalId(template, 'AWS::SNS::TopicPolicy'));
  });

  test('subscribes each email address to the topic', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const email of ['ops@example.com', 'dev@example.org']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email, TopicArn: { Ref: topicId } });
    }
  });

  test('posts to no Slack channel unless one is given', () => {
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });

  test('lets each stage account put events on the default bus', () => {
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy'));
    expect(policies.map((p) => p.Properties.StatementId)).toEqual(['orders-alarms-222222222222', 'orders-alarms-333333333333']);
    for (const account of ['222222222222', '333333333333']) {
      template.hasResourceProperties('AWS::Events::EventBusPolicy', {
        EventBusName: 'default',
        Statement: {
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Resource: 'arn:aws:events:eu-west-1:111111111111:event-bus/default',
        },
      });
    }
  });

  test('publishes the service\'s alarm state changes from the stage accounts as a readable message', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'default',
      EventPattern: {
        'source': ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        'account': ['222222222222', '333333333333'],
        'detail': { alarmName: [{ prefix: 'orders-' }] },
      },
      Targets: [Match.objectLike({
        Arn: { Ref: topicId },
        InputTransformer: {
          InputPathsMap: Match.objectEquals({
            'detail-alarmName': '$.detail.alarmName',
            'account': '$.account',
            'detail-state-value': '$.detail.state.value',
            'detail-state-reason': '$.detail.state.reason',
          }),
          InputTemplate: '"<detail-alarmName> in account <account> is <detail-state-value>: <detail-state-reason>"',
        },
      })],
    });
  });
});

describe('with a Slack channel', () => {
  const { template } = notificationsStack({ emailSubscribers: ['ops@example.com'], slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD' });
  const topics = template.findResources('AWS::SNS::Topic');
  const emailTopic = Object.keys(topics).find((id) => id.startsWith('NotificationsTopic'))!;
  const chatTopic = Object.keys(topics).find((id) => id.startsWith('NotificationsChatTopic'))!;
  const [alarmRule] = Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties);
  const targetOf = (topicId: string) => alarmRule.Targets.find((t: any) => t.Arn.Ref === topicId);

  test('AWS Chatbot posts from a topic of its own, read-only, logging errors', () => {
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ABCD',
      SnsTopicArns: [{ Ref: chatTopic }],
      LoggingLevel: 'ERROR',
      GuardrailPolicies: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }],
    });
    expect(topics[chatTopic].Properties.KmsMasterKeyId).toEqual(topics[emailTopic].Properties.KmsMasterKeyId);
  });

  test('pipeline failures reach the channel as native CodeStar Notifications events, and the email topic', () => {
    template.hasResourceProperties('AWS::CodeStarNotifications::NotificationRule', {
      Targets: Match.arrayEquals([
        { TargetType: 'SNS', TargetAddress: { Ref: emailTopic } },
        { TargetType: 'AWSChatbotSlack', TargetAddress: { Ref: logicalId(template, 'AWS::Chatbot::SlackChannelConfiguration') } },
      ]),
    });
  });

  test('an alarm reaches the channel in Chatbot\'s custom notification format, a reason with quotes included', () => {
    const payload = JSON.parse(transform(targetOf(chatTopic).InputTransformer, ALARM_EVENT));
    expect(payload).toEqual({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: 'orders-prod-api-5xx is ALARM',
        description: ALARM_EVENT.detail.state.reason,
        keywords: ['orders', '444444444444'],
      },
    });
  });

  test('the same alarm reaches the emails as one line of text', () => {
    expect(JSON.parse(transform(targetOf(emailTopic).InputTransformer, ALARM_EVENT)))
      .toBe(`orders-prod-api-5xx in account 444444444444 is ALARM: ${ALARM_EVENT.detail.state.reason}`);
  });
});

/** A CloudWatch alarm state change as EventBridge delivers it, its reason holding quotes and a backslash. */
const ALARM_EVENT = {
  'version': '0',
  'id': 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  'detail-type': 'CloudWatch Alarm State Change',
  'source': 'aws.cloudwatch',
  'account': '444444444444',
  'time': '2026-11-29T12:00:00Z',
  'region': 'eu-central-1',
  'detail': {
    alarmName: 'orders-prod-api-5xx',
    state: { value: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [3.0 (29/11/26 12:00:00)] was >= "1.0" \\ (minimum 1 datapoint)' },
  },
};

test('needs no bus policy for its own account, nor twice for one account', () => {
  const { template } = notificationsStack({ stageAccounts: ['111111111111', '222222222222', '222222222222'] });
  const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy'));
  expect(policies.map((p) => p.Properties.StatementId)).toEqual(['orders-alarms-222222222222']);
  template.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: Match.objectLike({ account: ['111111111111', '222222222222'] }),
  });
});

test('an email address that is not one is refused, by name, as in .projenrc.ts', () => {
  expect(() => notificationsStack({ emailSubscribers: ['ops@example.com', 'ops.example.com'] }))
    .toThrow(/^Invalid settings for ServiceNotifications:\n {2}- 'notifications.emailSubscribers\[1\]' must be an email address, got "ops.example.com"\.$/);
});

test('an address known only at deploy time (a parameter\'s value) is subscribed, unchecked', () => {
  const app = serviceApp();
  const stack = new Stack(app, 'orders-pipeline', { env: PIPELINE_ENV });
  const email = new CfnParameter(stack, 'OnCallEmail').valueAsString;
  new ServiceNotifications(stack, 'Notifications', {
    serviceName: 'orders',
    pipeline: codepipeline.Pipeline.fromPipelineArn(stack, 'Pipeline', PIPELINE_ARN),
    stageAccounts: ['222222222222'],
    emailSubscribers: [email],
  });
  Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: { Ref: 'OnCallEmail' } });
});

test('cfn-lint finds no error in templates holding all three constructs', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const app = serviceApp(outdir);
  const stack = new Stack(app, 'orders-pipeline', { env: PIPELINE_ENV });
  // A real pipeline: a source, then a manual approval.
  const sourceOutput = new codepipeline.Artifact();
  const source = new actions.CodeStarConnectionsSourceAction({
    actionName: 'Source', owner: 'acme', repo: 'orders', branch: 'main', connectionArn: CONNECTION_ARN, output: sourceOutput,
  });
  const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
    pipelineName: 'orders-pipeline',
    stages: [
      { stageName: 'Source', actions: [source] },
      { stageName: 'Approve', actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })] },
    ],
  });
  new ServiceNotifications(stack, 'Notifications', {
    serviceName: 'orders',
    pipeline,
    stageAccounts: ['222222222222'],
    emailSubscribers: ['ops@example.com'],
    slackWorkspaceId: 'T0123ABCD',
    slackChannelId: 'C0123ABCD',
  });
  new PullRequestBuild(stack, 'PullRequests', {
    serviceName: 'orders', sourceRepository: { owner: 'acme', name: 'orders', branch: 'main', connectionArn: CONNECTION_ARN },
  });
  const stage = new Stack(app, 'orders-dev', { env: { account: '222222222222', region: 'eu-west-1' } });
  new AlarmForwarding(stage, 'AlarmForwarding', { serviceName: 'orders', targetAccount: '111111111111', targetRegion: 'eu-west-1' });
  app.synth();

  const templates = findTemplates(outdir);
  expect(templates.map((t) => path.basename(t)).sort()).toEqual(['orders-dev.template.json', 'orders-pipeline.template.json']);
  expect(cfnLintErrors(templates)).toEqual([]);
}, 120_000);
