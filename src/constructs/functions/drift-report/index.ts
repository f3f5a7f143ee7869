import {
  CloudFormationClient, DescribeStackDriftDetectionStatusCommand, paginateDescribeStackResourceDrifts, StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBridgeEvent } from 'aws-lambda';
import { driftConsoleUrl, driftHeadline, driftLines, DriftOutcome, MAX_LISTED_RESOURCES } from './format';

/** The detail of CloudFormation's "CloudFormation Drift Detection Status Change" event. */
export interface DriftDetectionDetail {
  readonly 'stack-id': string;
  readonly 'stack-drift-detection-id': string;
  readonly 'status-details': { readonly 'stack-drift-status': string; readonly 'detection-status': string };
  readonly 'drift-detection-details'?: { readonly 'drifted-stack-resource-count': number };
}

export type DriftDetectionEvent = EventBridgeEvent<'CloudFormation Drift Detection Status Change', DriftDetectionDetail>;

/** What the function publishes: the detail of its report event, which the notifications format. */
export interface DriftReportDetail {
  readonly serviceName: string;
  readonly stageName: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly region: string;
  readonly driftStatus: string;
  readonly detectionStatus: string;
  readonly driftedResourceCount: number;
  /** One line: the stack and what was found (the chat message's title, the email's first line). */
  readonly title: string;
  /** The drifted resources with their differences, the failure's reason, and where to see more. */
  readonly summary: string;
  readonly consoleUrl: string;
  readonly resources: Array<{ readonly logicalResourceId?: string; readonly resourceType?: string; readonly status?: string }>;
}

// Created once per execution environment, reused by every invocation.
const cloudformation = new CloudFormationClient({});
const eventbridge = new EventBridgeClient({});

/** The stack's resources that differ from the template, with their property differences. */
async function driftedResources(stackId: string): Promise<StackResourceDrift[]> {
  const drifts: StackResourceDrift[] = [];
  const pages = paginateDescribeStackResourceDrifts({ client: cloudformation },
    { StackName: stackId, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] });
  for await (const page of pages) drifts.push(...page.StackResourceDrifts ?? []);
  return drifts;
}

/**
 * Publishes a report of a drifted stack, or of a detection that failed, on the account's default
 * bus (whence it reaches the pipeline account's notifications). A stack in sync is not reported.
 * The event carries only a count of drifted resources: the report names them, so the function
 * reads them (DescribeStackResourceDrifts). A read that fails still reports the drift, saying why
 * the resources are missing: a failure here must not hide one.
 */
export async function handler(event: DriftDetectionEvent): Promise<DriftReportDetail | undefined> {
  const status = event.detail['status-details'];
  if (status['detection-status'] === 'DETECTION_COMPLETE' && status['stack-drift-status'] !== 'DRIFTED') return undefined;

  const stackId = event.detail['stack-id'];
  const stackName = process.env.STACK_NAME ?? stackId.split('/')[1];
  const notes: string[] = [];
  let drifts: StackResourceDrift[] = [];
  try {
    drifts = await driftedResources(stackId);
  } catch (err) {
    notes.push(`The drifted resources could not be read: ${errorText(err)}`);
  }
  let reason: string | undefined;
  if (status['detection-status'] === 'DETECTION_FAILED') {
    try {
      reason = (await cloudformation.send(new DescribeStackDriftDetectionStatusCommand({
        StackDriftDetectionId: event.detail['stack-drift-detection-id'],
      }))).DetectionStatusReason;
    } catch (err) {
      reason = `(its reason could not be read: ${errorText(err)})`;
    }
  }

  const outcome: DriftOutcome = {
    stackName, stackId, driftStatus: status['stack-drift-status'], detectionStatus: status['detection-status'], detectionStatusReason: reason, drifts,
  };
  const consoleUrl = driftConsoleUrl(stackId, event.region);
  const report: DriftReportDetail = {
    serviceName: process.env.SERVICE!,
    stageName: process.env.STAGE!,
    stackName,
    stackId,
    region: event.region,
    driftStatus: outcome.driftStatus,
    detectionStatus: outcome.detectionStatus,
    driftedResourceCount: event.detail['drift-detection-details']?.['drifted-stack-resource-count'] ?? drifts.length,
    title: driftHeadline(outcome),
    summary: [
      ...reason ? [`Reason: ${reason}`] : [],
      ...driftLines(drifts, MAX_LISTED_RESOURCES),
      ...notes,
      `Drift details: ${consoleUrl}`,
      `From the service's checkout: npx projen drift --stage ${process.env.STAGE}`,
    ].join('\n'),
    consoleUrl,
    resources: drifts.slice(0, MAX_LISTED_RESOURCES)
      .map((d) => ({ logicalResourceId: d.LogicalResourceId, resourceType: d.ResourceType, status: d.StackResourceDriftStatus })),
  };

  const result = await eventbridge.send(new PutEventsCommand({
    Entries: [{ Source: process.env.REPORT_SOURCE, DetailType: process.env.REPORT_DETAIL_TYPE, Detail: JSON.stringify(report) }],
  }));
  // PutEvents answers a rejected entry with a count, not an error: fail, and EventBridge retries the invocation.
  if (result.FailedEntryCount) {
    throw new Error(`The drift report was not published: ${result.Entries?.map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`).join('; ')}`);
  }
  console.log(JSON.stringify({ message: 'drift report published', stackId, driftStatus: report.driftStatus, detectionStatus: report.detectionStatus, resources: report.resources }));
  return report;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
