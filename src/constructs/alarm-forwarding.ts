import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { driftReportPattern } from './private/drift-notification';

/**
 * Properties of an `AlarmForwarding`.
 */
export interface AlarmForwardingProps {
  /**
   * Short name of the service; alarms named `<serviceName>-...` are forwarded.
   */
  readonly serviceName: string;

  /**
   * AWS account id of the pipeline account, whose default event bus receives the events.
   */
  readonly targetAccount: string;

  /**
   * AWS region of the pipeline account's default event bus.
   */
  readonly targetRegion: string;
}

/**
 * Forwards the state changes of the service's CloudWatch alarms in a stage account, and the
 * stage's drift reports (`DriftDetection`), to the default event bus of the pipeline account,
 * where `ServiceNotifications` publishes them.
 *
 * Create it only where the stage is in another account or region than the pipeline (see
 * `AlarmForwarding.isNeeded`): in the pipeline's own account and region the central rule
 * already sees the events, and a rule forwarding to its own bus would be pointless.
 */
export class AlarmForwarding extends Construct {
  /**
   * The event pattern of the service's alarm state changes: alarms named `<serviceName>-...`.
   */
  public static alarmEventPattern(serviceName: string): events.EventPattern {
    return {
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      detail: { alarmName: events.Match.prefix(`${serviceName}-`) },
    };
  }

  /**
   * Whether a stack at `scope` must forward alarms to `targetAccount`/`targetRegion`:
   * false only when both are known to be the stack's own account and region.
   */
  public static isNeeded(scope: Construct, targetAccount: string, targetRegion: string): boolean {
    const stack = Stack.of(scope);
    const known = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
    return !(known && stack.account === targetAccount && stack.region === targetRegion);
  }

  /** The rule on the stage account's default bus that forwards the alarm events. */
  public readonly rule: events.Rule;

  /** The rule on the stage account's default bus that forwards the drift reports. */
  public readonly driftRule: events.Rule;

  /** ARN of the target account's default event bus. */
  public readonly targetEventBusArn: string;

  constructor(scope: Construct, id: string, props: AlarmForwardingProps) {
    super(scope, id);

    if (!AlarmForwarding.isNeeded(this, props.targetAccount, props.targetRegion)) {
      throw new Error(`AlarmForwarding: the stack is already in ${props.targetAccount}/${props.targetRegion}; `
        + 'its alarms reach that default bus without forwarding.');
    }

    this.targetEventBusArn = Stack.of(this).formatArn({
      service: 'events',
      account: props.targetAccount,
      region: props.targetRegion,
      resource: 'event-bus',
      resourceName: 'default',
    });

    // EventBridge needs a role to put events on another account's bus; the target gives each rule
    // one, allowed events:PutEvents on that bus only.
    const pipelineBus = new targets.EventBus(events.EventBus.fromEventBusArn(this, 'PipelineBus', this.targetEventBusArn));
    this.rule = new events.Rule(this, 'Rule', {
      description: `Forwards the alarm state changes of ${props.serviceName} to the pipeline account`,
      eventPattern: AlarmForwarding.alarmEventPattern(props.serviceName),
      targets: [pipelineBus],
    });
    this.driftRule = new events.Rule(this, 'DriftRule', {
      description: `Forwards the drift reports of ${props.serviceName} to the pipeline account`,
      eventPattern: driftReportPattern(props.serviceName),
      targets: [pipelineBus],
    });
  }
}
