import { Stack, Token } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as notifications from 'aws-cdk-lib/aws-codestarnotifications';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { AlarmForwarding } from './alarm-forwarding';
import { driftNotificationRule } from './private/drift-notification';
import { assertValidSettings } from '../settings/problems';
import { NotificationOptions } from '../settings/service-settings';
import { chatbotMessage } from './private/chatbot-message';

/**
 * Properties of a `ServiceNotifications`.
 */
export interface ServiceNotificationsProps extends NotificationOptions {
  /**
   * Short name of the service; alarms named `<serviceName>-...` are reported.
   */
  readonly serviceName: string;

  /**
   * The pipeline whose failures are reported.
   */
  readonly pipeline: codepipeline.IPipeline;

  /**
   * AWS account ids of the stages, whose alarm state changes may be forwarded here.
   */
  readonly stageAccounts: string[];
}

/** The pipeline events worth waking someone for. */
const PIPELINE_FAILURE_EVENTS = [
  codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_FAILED,
  codepipeline.PipelineNotificationEvents.ACTION_EXECUTION_FAILED,
];

/**
 * The service's notifications, in the pipeline account: the pipeline's failures (through
 * CodeStar Notifications), and the state changes of the service's alarms and the drift reports
 * (`DriftDetection`) of every stage account (forwarded there by `AlarmForwarding`, then matched
 * on the default event bus); drift reports reach both audiences in the alarms' two formats.
 *
 * Each audience gets a format it reads: emails subscribe to a KMS-encrypted SNS topic that
 * receives alarms as one line of text; a Slack channel (AWS Chatbot, which drops messages it
 * cannot parse) gets the pipeline's failures as native CodeStar Notifications events, and the
 * alarms through a topic of its own in Chatbot's custom notification format.
 */
export class ServiceNotifications extends Construct {
  /** The topic emails subscribe to: pipeline failures, and alarms as text. */
  public readonly topic: sns.Topic;

  /** The topic of the Slack channel: alarms in AWS Chatbot's custom notification format, when a channel is configured. */
  public readonly chatTopic?: sns.Topic;

  /** The key encrypting the topic. */
  public readonly key: kms.Key;

  /** The CodeStar Notifications rule on the pipeline's failures. */
  public readonly pipelineFailures: notifications.NotificationRule;

  /** The rule on the default event bus that publishes the service's alarm state changes. */
  public readonly alarmRule: events.Rule;

  /** The rule on the default event bus that publishes the drift reports of the service's stages (`DriftDetection`). */
  public readonly driftRule: events.Rule;

  /** The AWS Chatbot Slack channel, when one is configured. */
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: ServiceNotificationsProps) {
    super(scope, id);

    const { emailSubscribers, slackWorkspaceId, slackChannelId } = props;
    // Addresses known only at deploy time (tokens, such as a parameter's value) are left to SNS.
    const knownEmails = emailSubscribers?.filter((email) => !Token.isUnresolved(email));
    assertValidSettings('ServiceNotifications', {
      serviceName: props.serviceName,
      notifications: { emailSubscribers: knownEmails, slackWorkspaceId, slackChannelId },
    });
    const emails = emailSubscribers ?? [];

    this.key = new kms.Key(this, 'TopicKey', {
      description: `Encrypts the ${props.serviceName} notifications topics`,
      enableKeyRotation: true,
    });
    // Both services publish as service principals: each needs sns:Publish in the topic policy and
    // kms:GenerateDataKey*/kms:Decrypt in the key policy (an AWS managed key could not grant them).
    const publishGrants: iam.Grant[] = [];
    const encryptedTopic = (topicId: string, displayName: string, publishers: string[]) => {
      const topic = new sns.Topic(this, topicId, { displayName, masterKey: this.key, enforceSSL: true });
      publishers.forEach((service) => publishGrants.push(topic.grantPublish(new iam.ServicePrincipal(service))));
      return topic;
    };
    this.topic = encryptedTopic('Topic', `${props.serviceName} notifications`, ['codestar-notifications.amazonaws.com', 'events.amazonaws.com']);
    emails.forEach((email) => this.topic.addSubscription(new subscriptions.EmailSubscription(email)));

    if (slackWorkspaceId && slackChannelId) {
      this.chatTopic = encryptedTopic('ChatTopic', `${props.serviceName} notifications for Slack`, ['events.amazonaws.com']);
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: `${props.serviceName}-notifications`,
        slackWorkspaceId,
        slackChannelId,
        notificationTopics: [this.chatTopic],
        loggingLevel: chatbot.LoggingLevel.ERROR,
        // Without guardrails Chatbot would default to AdministratorAccess for channel members.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
      });
    }

    this.pipelineFailures = new notifications.NotificationRule(this, 'PipelineFailures', {
      source: props.pipeline,
      events: PIPELINE_FAILURE_EVENTS,
      // Chatbot renders CodeStar Notifications events natively: the channel is a target of its own.
      targets: [this.topic, ...this.slackChannel ? [this.slackChannel] : []],
    });
    // CodeStar Notifications checks it may publish when the rule is created: the topic policy
    // must exist first (aws/aws-cdk#29484).
    publishGrants.forEach((grant) => grant.applyBefore(this.pipelineFailures));

    this.alarmRule = this.centralAlarmRule(props.serviceName, [...new Set(props.stageAccounts)]);
    this.driftRule = driftNotificationRule(this, props.serviceName, [...new Set(props.stageAccounts)], this.topic, this.chatTopic);
  }

  /** Lets the stage accounts put events on the default bus, and publishes the service's alarm events. */
  private centralAlarmRule(serviceName: string, stageAccounts: string[]): events.Rule {
    const stack = Stack.of(this);
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const foreignAccounts = stageAccounts.filter((account) => account !== stack.account);

    for (const account of foreignAccounts) {
      // CloudFormation names the policy after its statement id, so it must be unique in the account.
      const statementId = `${serviceName}-alarms-${account}`.replace(/[^\w-]/g, '-').slice(0, 64);
      new events.CfnEventBusPolicy(this, `AllowAlarmsFrom${account}`, {
        eventBusName: defaultBus.eventBusName,
        statementId,
        statement: {
          Sid: statementId,
          Effect: 'Allow',
          Principal: { AWS: `arn:${stack.partition}:iam::${account}:root` },
          Action: 'events:PutEvents',
          Resource: defaultBus.eventBusArn,
        },
      });
    }

    const pattern = AlarmForwarding.alarmEventPattern(serviceName);
    return new events.Rule(this, 'AlarmRule', {
      description: `Publishes the alarm state changes of ${serviceName} from its stage accounts`,
      eventBus: defaultBus,
      eventPattern: { ...pattern, account: stageAccounts },
      targets: [
        new targets.SnsTopic(this.topic, { message: alarmText() }),
        ...this.chatTopic ? [new targets.SnsTopic(this.chatTopic, { message: alarmChatMessage(serviceName) })] : [],
      ],
    });
  }
}

/** An alarm state change as one line of text, for emails. */
function alarmText(): events.RuleTargetInput {
  const field = events.EventField.fromPath;
  return events.RuleTargetInput.fromText(`${field('$.detail.alarmName')} in account ${events.EventField.account} is `
    + `${field('$.detail.state.value')}: ${field('$.detail.state.reason')}`);
}

/**
 * An alarm state change in AWS Chatbot's custom notification format (version 1.0, source
 * custom), which Chatbot posts instead of dropping. The alarm's name and state (letters, digits
 * and hyphens) stand inside the title; the reason, free text, is a whole JSON value, which
 * EventBridge quotes and escapes.
 */
function alarmChatMessage(serviceName: string): events.RuleTargetInput {
  const field = events.EventField.fromPath;
  return chatbotMessage(`${field('$.detail.alarmName')} is ${field('$.detail.state.value')}`, field('$.detail.state.reason'),
    [serviceName, events.EventField.account]);
}
