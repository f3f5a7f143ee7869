import {
  CloudFormationClient, DeleteStackCommand, DescribeStacksCommand, paginateListStacks, Stack, StackStatus, StackSummary,
} from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/*
 * The previews of a service in the dev account, as the preview builds and their daily sweeper see
 * them. This folder is the sweeper's whole Lambda asset, so it imports nothing of the package but
 * the AWS SDK of the Lambda runtime.
 */

/**
 * Prefix of every preview's stack name, `<service>-pr-`: the same as `previewStackPrefix` of
 * src/settings/preview-names.ts, re-derived here only because the asset cannot import it (a test
 * checks that they agree).
 */
export function previewPrefix(serviceName: string): string {
  return `${serviceName}-pr-`;
}

/** Whether `stackName` is a preview of the service: its prefix followed by a pull request number, and nothing else. */
export function isPreviewStack(serviceName: string, stackName: string): boolean {
  const prefix = previewPrefix(serviceName);
  return stackName.startsWith(prefix) && /^[0-9]+$/.test(stackName.slice(prefix.length));
}

/** Every status a stack that still exists can have: ListStacks also lists deleted stacks, for 90 days, unless told otherwise. */
const EXISTING = Object.values(StackStatus).filter((status) => status !== StackStatus.DELETE_COMPLETE);

/** The service's previews that exist, whatever they are doing, from every page of ListStacks. */
export async function previewStacks(client: CloudFormationClient, serviceName: string): Promise<StackSummary[]> {
  const previews: StackSummary[] = [];
  for await (const page of paginateListStacks({ client }, { StackStatusFilter: EXISTING })) {
    previews.push(...(page.StackSummaries ?? []).filter((stack) => isPreviewStack(serviceName, stack.StackName ?? '')));
  }
  return previews;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The previews to delete: those not deployed for more than `maxAgeDays` (since their last update,
 * or their creation when never updated), and those whose deletion failed, whatever their age, as
 * someone already asked for them to go. Those being deleted are left alone.
 */
export function stalePreviews(stacks: StackSummary[], now: Date, maxAgeDays: number): StackSummary[] {
  const cutoff = now.getTime() - maxAgeDays * DAY_MS;
  return stacks.filter((stack) => {
    if (stack.StackStatus === StackStatus.DELETE_IN_PROGRESS) return false;
    if (stack.StackStatus === StackStatus.DELETE_FAILED) return true;
    const deployed = stack.LastUpdatedTime ?? stack.CreationTime;
    return deployed !== undefined && deployed.getTime() < cutoff;
  });
}

/** A deletion started by `deletePreview`. */
export interface PreviewDeletion {
  readonly stackName: string;
  /** The stack's status before. */
  readonly previousStatus: string;
  /** Whether a deletion failed before (DELETE_FAILED): this one is a retry. */
  readonly retry: boolean;
  /** Why the stack is in its status, when CloudFormation says (for a retry, why the previous deletion failed). */
  readonly reason?: string;
}

/**
 * Starts deleting a preview's stack; undefined when it does not exist. A stack whose deletion
 * failed is asked again, and the answer says so. CloudFormation deletes with the role the stack
 * was deployed with, so the caller needs no rights on its resources.
 */
export async function deletePreview(client: CloudFormationClient, stackName: string): Promise<PreviewDeletion | undefined> {
  const stack = await describeStack(client, stackName);
  if (!stack) return undefined;
  await client.send(new DeleteStackCommand({ StackName: stackName }));
  const previousStatus = stack.StackStatus ?? 'UNKNOWN';
  return { stackName, previousStatus, retry: previousStatus === StackStatus.DELETE_FAILED, reason: stack.StackStatusReason };
}

/** The stack, or undefined when none of that name exists (CloudFormation answers with a ValidationError). */
export async function describeStack(client: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0];
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * A CloudFormation client in `region` acting as `roleArn` (the previews' deploy role in the dev
 * account). The credentials are fetched once and never refreshed: a preview build or a sweep ends
 * well within the hour an AssumeRole session lasts by default (a destroy waits 30 minutes at most).
 */
export async function assumedCloudFormation(roleArn: string, region: string, sessionName: string): Promise<CloudFormationClient> {
  const sts = new STSClient({ region });
  // A session name is 2 to 64 of [\w+=,.@-]; it shows in CloudTrail beside every call made with it.
  const RoleSessionName = sessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  const { Credentials: credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName }));
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
    throw new Error(`Assuming ${roleArn} returned no credentials.`);
  }
  return new CloudFormationClient({
    region,
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    },
  });
}
