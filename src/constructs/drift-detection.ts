import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { DRIFT_REPORT_DETAIL_TYPE, DRIFT_REPORT_SOURCE } from './private/drift-notification';
import { driftReadActions } from './private/drift-reads';
import { functionRole } from './private/function-role';
import { acknowledge, nagText } from './private/nag';
import { acknowledgeFunctionRuntime, packagedFunctionProps } from './private/packaged-function';

/**
 * Properties of a `DriftDetection`.
 */
export interface DriftDetectionProps {
  /**
   * Short name of the service; its notifications receive the reports.
   */
  readonly serviceName: string;

  /**
   * Name of the stage whose stack is checked, used in names and in the reports.
   */
  readonly stageName: string;

  /**
   * When the stack is checked, as an EventBridge Scheduler expression such as `rate(1 day)` or `cron(0 6 ? * MON-FRI *)` (UTC).
   */
  readonly schedule: string;

  /**
   * How long the report function keeps its logs.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Checks the stack it is in for drift on a schedule, and reports a drifted stack (or a detection
 * that failed) to the service's notifications.
 *
 * EventBridge Scheduler calls CloudFormation's DetectStackDrift itself (a universal target: no
 * function runs to start it). CloudFormation then sends "CloudFormation Drift Detection Status
 * Change" to the default bus; that event carries only a count of drifted resources, so a small
 * function reads them (DescribeStackResourceDrifts) and publishes a report, which
 * `AlarmForwarding` forwards to the pipeline account and `ServiceNotifications` sends on. A
 * detection started by hand (the console's "Detect drift") is reported the same way.
 */
export class DriftDetection extends Construct {
  /** The schedule that starts the detection. */
  public readonly schedule: scheduler.CfnSchedule;

  /**
   * The role the schedule calls DetectStackDrift with. CloudFormation reads every resource of the
   * stack with it: a resource type an extension adds needs its read actions added here.
   */
  public readonly role: iam.Role;

  /** The function that turns a detection's result into a report. */
  public readonly reportFunction: lambda.Function;

  /** The rule on the default bus that sends the stack's detection results to the function. */
  public readonly resultRule: events.Rule;

  constructor(scope: Construct, id: string, props: DriftDetectionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { serviceName, stageName } = props;

    // Roles CloudFormation names after the stack ("<stack>-<id>-<suffix>"), or this package names
    // "<service>-<stage>-...", whatever their path: the stack's own roles, to read only.
    const stackRoles = stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `*${stack.stackName}-*` });
    this.role = new iam.Role(this, 'Role', {
      description: `Detects drift of ${stack.stackName} on schedule`,
      // Only schedules of this account may assume it (confused deputy protection).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
      inlinePolicies: {
        DetectDrift: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['cloudformation:DetectStackDrift', 'cloudformation:DetectStackResourceDrift'],
              resources: [Aws.STACK_ID],
            }),
            new iam.PolicyStatement({ actions: driftReadActions('iam'), resources: [stackRoles] }),
            new iam.PolicyStatement({
              actions: ['cloudformation:BatchDescribeTypeConfigurations', ...driftReadActions('other')],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    acknowledge(this.role, 'IAM5', 'Drift detection reads each resource of the stack as the caller: configuration reads only '
      + '(Describe, Get, List of the stack\'s resource types, no data), several of which accept no resource but "*".', 'Resource::*');
    acknowledge(this.role, 'IAM5', 'Drift detection reads the stack\'s roles and their inline policies (Get and List only); their '
      + 'names are generated from the stack name, which the pattern names.', `Resource::${nagText(this, stackRoles)}`);

    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      name: `${serviceName}-${stageName}-drift`,
      description: `Detects drift of ${stack.stackName}`,
      scheduleExpression: props.schedule,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: `arn:${Aws.PARTITION}:scheduler:::aws-sdk:cloudformation:detectStackDrift`,
        roleArn: this.role.roleArn,
        input: stack.toJsonString({ StackName: stack.stackName }),
        // One detection runs per stack at a time: a retry waits for the running one, briefly.
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });

    const logGroup = new logs.LogGroup(this, 'ReportLogs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
    const reportRole = functionRole(this, 'ReportRole', logGroup, `Reports drift of ${serviceName} (${stageName})`);
    this.reportFunction = new lambda.Function(this, 'Report', {
      description: `Reports drift of ${stack.stackName} to the ${serviceName} notifications`,
      ...packagedFunctionProps('drift-report'),
      timeout: Duration.seconds(30),
      role: reportRole,
      logGroup,
      environment: {
        // Not SERVICE_NAME and STAGE_NAME: those name the service's own function in a stage's template.
        SERVICE: serviceName,
        STAGE: stageName,
        STACK_NAME: stack.stackName,
        REPORT_SOURCE: DRIFT_REPORT_SOURCE,
        REPORT_DETAIL_TYPE: DRIFT_REPORT_DETAIL_TYPE,
      },
    });
    acknowledgeFunctionRuntime(this.reportFunction);
    reportRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStackResourceDrifts'], resources: [Aws.STACK_ID] }));
    reportRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['events:PutEvents'],
      resources: [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
    }));
    // A detection's id names no resource: IAM authorizes DescribeStackDriftDetectionStatus on "*" only.
    reportRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStackDriftDetectionStatus'], resources: ['*'] }));
    acknowledge(reportRole, 'IAM5', 'cloudformation:DescribeStackDriftDetectionStatus takes a detection id, which names no resource: its only '
      + 'resource is "*". The policy\'s other grants name this stack and this account\'s default bus.', 'Resource::*');

    this.resultRule = new events.Rule(this, 'DetectionResult', {
      description: `Reports the drift detections of ${stack.stackName}`,
      eventPattern: {
        source: ['aws.cloudformation'],
        detailType: ['CloudFormation Drift Detection Status Change'],
        detail: {
          'stack-id': events.Match.prefix(stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${stack.stackName}/` })),
          'status-details': { 'detection-status': ['DETECTION_COMPLETE', 'DETECTION_FAILED'] },
        },
      },
      targets: [new targets.LambdaFunction(this.reportFunction, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }
}
