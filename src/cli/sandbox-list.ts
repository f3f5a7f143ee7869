import { CloudFormationClient, paginateListStacks, StackStatus, StackSummary } from '@aws-sdk/client-cloudformation';
import { sandboxStackPrefix } from '../settings/preview-names';

/** Where the sandboxes of a service live: the account and region of its development stage. */
export interface SandboxHost {
  readonly serviceName: string;
  readonly stageName: string;
  readonly account: string;
  readonly region: string;
}

// Deleted stacks stay listed for 90 days: every other status is a sandbox that still exists, or failed to go.
const LIVE_STATUSES = Object.values(StackStatus).filter((status) => status !== StackStatus.DELETE_COMPLETE);

// The errors of credentials that are missing, expired, of another account or not allowed to list stacks.
const ACCESS_ERRORS = new Set([
  'CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException',
  'SignatureDoesNotMatch', 'AccessDenied', 'AccessDeniedException', 'TokenRefreshRequired',
]);

/**
 * `serverless-service sandbox list`: prints every sandbox of the service in its development
 * account, with its stack's status, age and the time since its last deployment. Exits 0, 2 when
 * the caller's credentials cannot list that account's stacks, 1 on any other AWS error.
 */
export async function listSandboxes(host: SandboxHost, now: Date): Promise<number> {
  const prefix = sandboxStackPrefix(host.serviceName);
  const where = `account ${host.account}, ${host.region}`;
  const stacks: StackSummary[] = [];
  try {
    const client = new CloudFormationClient({ region: host.region });
    for await (const page of paginateListStacks({ client }, { StackStatusFilter: LIVE_STATUSES })) {
      stacks.push(...(page.StackSummaries ?? []).filter((stack) => stack.StackName?.startsWith(prefix)));
    }
  } catch (err) {
    const { name, message } = err as Error;
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    console.error(`Could not list the sandboxes of ${host.serviceName} (${where}): ${name}: ${message}`);
    if (!ACCESS_ERRORS.has(name) && status !== 403) return 1;
    console.error(`The credentials in your environment (AWS_PROFILE, AWS_ACCESS_KEY_ID...) must be of the development account ${host.account} `
      + `(stage ${host.stageName}) and allowed cloudformation:ListStacks in ${host.region}: sign in to that account (such as aws sso login) and try again.`);
    return 2;
  }

  if (stacks.length === 0) {
    console.log(`No sandboxes of ${host.serviceName}.`);
    return 0;
  }
  const rows = stacks
    .map((stack) => [
      stack.StackName!.slice(prefix.length),
      stack.StackStatus ?? '',
      age(stack.CreationTime, now),
      `${age(stack.LastUpdatedTime ?? stack.CreationTime, now)} ago`,
    ])
    .sort((a, b) => a[0].localeCompare(b[0]));
  console.log(`Sandboxes of ${host.serviceName} (${where}):`);
  table([['SANDBOX', 'STATUS', 'AGE', 'LAST DEPLOYED'], ...rows]).forEach((line) => console.log(line));
  return 0;
}

/** How long ago `time` was, in its two largest units: "3d 4h", "2h 5m", "25m". */
export function age(time: Date | undefined, now: Date): string {
  if (!time) return '-';
  const minutes = Math.max(0, Math.floor((now.getTime() - time.getTime()) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes % 60}m`;
  return `${minutes}m`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
}
