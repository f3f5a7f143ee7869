import { Stack } from 'aws-cdk-lib';
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
import { assertValidSettings } from '../settings/problems';
import { NotificationOptions } from '../settings/service-settings';

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
 * The service's notifications, in the pipeline account: one KMS-encrypted SNS topic that
 * receives the pipeline's failures (through CodeStar Notifications) and the state changes of
 * the service's alarms in every stage account (forwarded there by `AlarmForwarding`, then
 * matched on the default event bus), with email and Slack (AWS Chatbot) subscribers.
 */
export class ServiceNotifications extends Construct {
  /** The topic every notification is published to. */
  public readonly topic: sns.Topic;

  /** The key encrypting the topic. */
  public readonly key: kms.Key;

  /** The CodeStar Notifications rule on the pipeline's failures. */
  public readonly pipelineFailures: notifications.NotificationRule;

  /** The rule on the default event bus that publishes the service's alarm state changes. */
  public readonly alarmRule: events.Rule;

  /** The AWS Chatbot Slack channel, when one is configured. */
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: ServiceNotificationsProps) {
    super(scope, id);

    const { emailSubscribers, slackWorkspaceId, slackChannelId } = props;
    assertValidSettings('ServiceNotifications', { serviceName: props.serviceName, notifications: { emailSubscribers, slackWorkspaceId, slackChannelId } });
    const emails = emailSubscribers ?? [];

    this.key = new kms.Key(this, 'TopicKey', {
      description: `Encrypts the ${props.serviceName} notifications topic`,
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `${props.serviceName} notifications`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // Both services publish as service principals: each needs sns:Publish in the topic policy and
    // kms:GenerateDataKey*/kms:Decrypt in the key policy (an AWS managed key could not grant them).
    const publishGrants = ['codestar-notifications.amazonaws.com', 'events.amazonaws.com']
      .map((service) => this.topic.grantPublish(new iam.ServicePrincipal(service)));

    this.pipelineFailures = new notifications.NotificationRule(this, 'PipelineFailures', {
      source: props.pipeline,
      events: PIPELINE_FAILURE_EVENTS,
      targets: [this.topic],
    });
    // CodeStar Notifications checks it may publish when the rule is created: the topic policy
    // must exist first (aws/aws-cdk#29484).
    publishGrants.forEach((grant) => grant.applyBefore(this.pipelineFailures));

    emails.forEach((email) => this.topic.addSubscription(new subscriptions.EmailSubscription(email)));

    if (props.slackWorkspaceId && props.slackChannelId) {
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: `${props.serviceName}-notifications`,
        slackWorkspaceId: props.slackWorkspaceId,
        slackChannelId: props.slackChannelId,
        notificationTopics: [this.topic],
        loggingLevel: chatbot.LoggingLevel.ERROR,
        // Without guardrails Chatbot would default to AdministratorAccess for channel members.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
      });
    }

    this.alarmRule = this.centralAlarmRule(props.serviceName, [...new Set(props.stageAccounts)]);
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
    const field = events.EventField.fromPath;
    return new events.Rule(this, 'AlarmRule', {
      description: `Publishes the alarm state changes of ${serviceName} from its stage accounts`,
      eventBus: defaultBus,
      eventPattern: { ...pattern, account: stageAccounts },
      targets: [new targets.SnsTopic(this.topic, {
        message: events.RuleTargetInput.fromText(
          `${field('$.detail.alarmName')} in account ${events.EventField.account} is `
          + `${field('$.detail.state.value')}: ${field('$.detail.state.reason')}`),
      })],
    });
  }
}
