import * as fs from 'fs';
import * as path from 'path';
import {
  CloudFormationClient, DescribeStackDriftDetectionStatusCommand, DescribeStackDriftDetectionStatusCommandOutput, DetectStackDriftCommand,
  paginateDescribeStackResourceDrifts, StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { driftConsoleUrl, driftHeadline, driftLines } from '../constructs/functions/drift-report/format';
import { resolveServiceSettings } from '../settings/resolve';
import { readServiceSettings, SERVICE_SETTINGS_FILE } from '../settings/settings-file';

const USAGE = 'serverless-service drift --stage NAME [--settings src/service-settings.generated.json]';
export const DRIFT_USAGE = `       ${USAGE}`;

/** How `drift` waits for CloudFormation: how often it asks, and for how long at most. */
export interface DriftPolling {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

const POLLING: DriftPolling = { intervalMs: 5_000, timeoutMs: 15 * 60_000 };

/**
 * `serverless-service drift --stage NAME`: detects drift of the stage's stack now, with the
 * caller's AWS credentials (which need the stage account), and prints the stack and each
 * resource that differs from its template with its property differences, as the notifications
 * do. Exits 0 when in sync, 1 when drifted or when the detection failed, 2 on a usage error or
 * when CloudFormation cannot be asked.
 */
export async function driftCommand(args: string[], polling: DriftPolling = POLLING): Promise<number> {
  let stageName: string | undefined;
  let settingsFile = path.join('src', SERVICE_SETTINGS_FILE);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--stage') stageName = args[++i];
    else if (args[i] === '--settings') settingsFile = args[++i];
    else return usage(`Unknown argument "${args[i]}".`);
  }
  if (!stageName) return usage('--stage NAME is required.');
  if (!fs.existsSync(settingsFile)) {
    return usage(`${settingsFile} does not exist: run this in the service's folder (npx projen writes the file), or give --settings FILE.`);
  }
  const settings = resolveServiceSettings(readServiceSettings(settingsFile));
  const stage = settings.stages.find((s) => s.name === stageName);
  if (!stage) return usage(`The service has no stage "${stageName}"; its stages are ${settings.stages.map((s) => s.name).join(', ')}.`);

  const stackName = `${settings.serviceName}-${stage.name}`;
  const where = `${stackName} (account ${stage.account}, ${stage.region})`;
  const client = new CloudFormationClient({ region: stage.region });
  let status: DescribeStackDriftDetectionStatusCommandOutput;
  let drifts: StackResourceDrift[];
  try {
    const { StackDriftDetectionId } = await client.send(new DetectStackDriftCommand({ StackName: stackName }));
    console.error(`Detecting drift of ${where}...`);
    status = await detection(client, StackDriftDetectionId!, polling);
    drifts = await driftedResources(client, stackName);
  } catch (err) {
    console.error(`Could not detect drift of ${where}: ${(err as Error).name}: ${(err as Error).message}\n`
      + `The credentials in your environment (AWS_PROFILE, AWS_ACCESS_KEY_ID...) must be of account ${stage.account}, allowed `
      + 'cloudformation:DetectStackDrift, DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts and to read the stack\'s resources.');
    return 2;
  }

  const stackId = status.StackId ?? stackName;
  console.log(`${driftHeadline({
    stackName, stackId, driftStatus: status.StackDriftStatus ?? 'UNKNOWN', detectionStatus: status.DetectionStatus!, drifts,
  })} (account ${stage.account}, ${stage.region})`);
  if (status.DetectionStatus === 'DETECTION_FAILED') console.log(`Reason: ${status.DetectionStatusReason}`);
  driftLines(drifts).forEach((line) => console.log(`  ${line}`));
  if (status.StackDriftStatus === 'IN_SYNC' && status.DetectionStatus === 'DETECTION_COMPLETE') return 0;
  console.log(`Drift details: ${driftConsoleUrl(stackId, stage.region)}`);
  return 1;
}

/** The detection's status once it is no longer in progress; throws when it takes longer than the timeout. */
async function detection(client: CloudFormationClient, id: string, polling: DriftPolling): Promise<DescribeStackDriftDetectionStatusCommandOutput> {
  const deadline = Date.now() + polling.timeoutMs;
  for (;;) {
    const status = await client.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }));
    if (status.DetectionStatus !== 'DETECTION_IN_PROGRESS') return status;
    if (Date.now() > deadline) throw new Error(`drift detection ${id} was still in progress after ${polling.timeoutMs / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, polling.intervalMs));
  }
}

async function driftedResources(client: CloudFormationClient, stackName: string): Promise<StackResourceDrift[]> {
  const drifts: StackResourceDrift[] = [];
  for await (const page of paginateDescribeStackResourceDrifts({ client }, { StackName: stackName, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] })) {
    drifts.push(...page.StackResourceDrifts ?? []);
  }
  return drifts;
}

function usage(problem: string): number {
  console.error(`${problem}\nUsage: ${USAGE}`);
  return 2;
}
