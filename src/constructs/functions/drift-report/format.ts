import type { StackResourceDrift } from '@aws-sdk/client-cloudformation';

/** The resources a notification names at most: a chat message or an email stays readable. */
export const MAX_LISTED_RESOURCES = 20;
/** The characters of one expected or actual value a line shows at most (policies can be long JSON). */
const MAX_VALUE_LENGTH = 200;

/** The outcome of one drift detection of a stack, as the notifications and `npx projen drift` tell it. */
export interface DriftOutcome {
  readonly stackName: string;
  readonly stackId: string;
  readonly driftStatus: string;
  readonly detectionStatus: string;
  readonly detectionStatusReason?: string;
  /** The resources that differ from the template (MODIFIED or DELETED). */
  readonly drifts: StackResourceDrift[];
}

/** One line: the stack, and what the detection found. */
export function driftHeadline(outcome: DriftOutcome): string {
  const count = outcome.drifts.length;
  const differ = `${count} resource${count === 1 ? '' : 's'} ${count === 1 ? 'differs' : 'differ'} from the template`;
  if (outcome.detectionStatus === 'DETECTION_FAILED') {
    return `Drift detection of ${outcome.stackName} failed${count > 0 ? `; ${differ}` : ''}`;
  }
  return outcome.driftStatus === 'DRIFTED' ? `${outcome.stackName} has drifted: ${differ}` : `${outcome.stackName} is in sync with its template`;
}

/**
 * Each drifted resource (logical id, type, status, physical id) and, indented, each of its
 * property differences; at most `limit` resources, then how many more.
 */
export function driftLines(drifts: StackResourceDrift[], limit = Infinity): string[] {
  const lines = drifts.slice(0, limit).flatMap((drift) => [
    `${drift.LogicalResourceId} (${drift.ResourceType}) ${drift.StackResourceDriftStatus}${drift.PhysicalResourceId ? `: ${drift.PhysicalResourceId}` : ''}`,
    ...(drift.PropertyDifferences ?? []).map((d) => `    ${d.PropertyPath} ${differenceText(d.DifferenceType, d.ExpectedValue, d.ActualValue)}`),
  ]);
  return drifts.length > limit ? [...lines, `...and ${drifts.length - limit} more`] : lines;
}

function differenceText(type: string | undefined, expected: string | undefined, actual: string | undefined): string {
  if (type === 'ADD') return `added: ${shorten(actual)}`;
  if (type === 'REMOVE') return `removed (expected ${shorten(expected)})`;
  return `expected ${shorten(expected)}, actual ${shorten(actual)}`;
}

function shorten(value: string | undefined): string {
  const text = value ?? '(none)';
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}...` : text;
}

/** The stack's drift page in the CloudFormation console of its region. */
export function driftConsoleUrl(stackId: string, region: string): string {
  const host = region.startsWith('cn-') ? `${region}.console.amazonaws.cn`
    : region.startsWith('us-gov-') ? 'console.amazonaws-us-gov.com' : `${region}.console.aws.amazon.com`;
  return `https://${host}/cloudformation/home?region=${region}#/stacks/drifts?stackId=${encodeURIComponent(stackId)}`;
}
