import * as events from 'aws-cdk-lib/aws-events';

/**
 * A message in AWS Chatbot's custom notification format (version 1.0, source custom), which
 * Chatbot posts instead of dropping. Free text (an alarm's reason, a drift summary) must be a
 * whole field of the event, so that EventBridge quotes and escapes it as one JSON value.
 */
export function chatbotMessage(title: string, description: string, keywords: string[]): events.RuleTargetInput {
  return events.RuleTargetInput.fromObject({
    version: '1.0',
    source: 'custom',
    content: { textType: 'client-markdown', title, description, keywords },
  });
}
