import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { chatbotMessage } from './chatbot-message';

/** Source of the drift reports `DriftDetection`'s function publishes (custom events: no `aws.` prefix). */
export const DRIFT_REPORT_SOURCE = 'serverless-service';
/** Detail type of those reports. */
export const DRIFT_REPORT_DETAIL_TYPE = 'Service Stack Drift';

/** The drift reports of a service's stages: matched by the service's exact name, not a prefix of stack names. */
export function driftReportPattern(serviceName: string): events.EventPattern {
  return {
    source: [DRIFT_REPORT_SOURCE],
    detailType: [DRIFT_REPORT_DETAIL_TYPE],
    detail: { serviceName: [serviceName] },
  };
}

/**
 * In the pipeline account: the rule on the default bus that publishes the drift reports of the
 * service's stages (forwarded there by `AlarmForwarding`) to the emails' topic as text and to the
 * Slack channel's topic in AWS Chatbot's custom format, as alarms are.
 */
export function driftNotificationRule(scope: Construct, serviceName: string, stageAccounts: string[],
  topic: sns.ITopic, chatTopic?: sns.ITopic): events.Rule {
  return new events.Rule(scope, 'DriftRule', {
    description: `Publishes the drift reports of ${serviceName} from its stage accounts`,
    eventBus: events.EventBus.fromEventBusName(scope, 'DriftBus', 'default'),
    eventPattern: { ...driftReportPattern(serviceName), account: stageAccounts },
    targets: [
      new targets.SnsTopic(topic, { message: driftText() }),
      ...chatTopic ? [new targets.SnsTopic(chatTopic, { message: driftChatMessage(serviceName) })] : [],
    ],
  });
}

/** A drift report as text for emails: the headline with account and region, then the resources and links. */
function driftText(): events.RuleTargetInput {
  const field = events.EventField.fromPath;
  return events.RuleTargetInput.fromText(`${field('$.detail.title')} (account ${events.EventField.account}, ${field('$.detail.region')})\n`
    + field('$.detail.summary'));
}

/**
 * A drift report in AWS Chatbot's custom notification format (version 1.0, source custom), which
 * Chatbot posts instead of dropping: the headline as title, the summary (free text: resource
 * names, property values, links) as a whole JSON value, which EventBridge quotes and escapes.
 */
function driftChatMessage(serviceName: string): events.RuleTargetInput {
  const field = events.EventField.fromPath;
  return chatbotMessage(field('$.detail.title'), field('$.detail.summary'), [serviceName, field('$.detail.stageName'), events.EventField.account]);
}
