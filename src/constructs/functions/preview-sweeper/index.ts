import { assumedCloudFormation, deletePreview, previewStacks, stalePreviews } from './sweep';

/** What one sweep did: the previews whose deletion it started, and how many it left as they are. */
export interface SweepSummary {
  readonly swept: string[];
  readonly kept: number;
}

/**
 * Runs daily in the pipeline account: deletes, through the previews' deploy role in the dev
 * account, the previews not deployed for MAX_AGE_DAYS (a pull request whose destroy build was
 * missed or failed leaves one behind). Logs one JSON line per deleted preview and the summary.
 * Throws after the sweep when a deletion could not be started, so that the invocation counts as
 * failed; the others are deleted all the same.
 */
export async function handler(): Promise<SweepSummary> {
  const serviceName = required('SERVICE_NAME');
  const roleArn = required('PREVIEW_DEPLOY_ROLE_ARN');
  const region = required('PREVIEW_REGION');
  const maxAgeDays = Number(required('MAX_AGE_DAYS'));
  if (!(maxAgeDays > 0)) throw new Error(`MAX_AGE_DAYS must be a number of days above 0, got "${process.env.MAX_AGE_DAYS}".`);

  const client = await assumedCloudFormation(roleArn, region, `${serviceName}-preview-sweeper`);
  const previews = await previewStacks(client, serviceName);
  const swept: string[] = [];
  const failed: string[] = [];
  for (const stack of stalePreviews(previews, new Date(), maxAgeDays)) {
    const stackName = stack.StackName!;
    const lastDeployed = (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString();
    try {
      const deletion = await deletePreview(client, stackName);
      if (!deletion) continue; // Gone since it was listed.
      swept.push(stackName);
      console.log(JSON.stringify(deletion.retry
        ? { message: 'preview deletion retried', stackName, lastDeployed, previousStatus: deletion.previousStatus, failureReason: deletion.reason }
        : { message: 'preview deleted', stackName, lastDeployed, maxAgeDays }));
    } catch (error) {
      failed.push(stackName);
      console.error(JSON.stringify({ message: 'preview not deleted', stackName, error: `${(error as Error).name}: ${(error as Error).message}` }));
    }
  }
  const summary: SweepSummary = { swept, kept: previews.length - swept.length };
  console.log(JSON.stringify({ message: 'sweep done', ...summary }));
  if (failed.length) throw new Error(`Could not start deleting ${failed.join(', ')}: see the log lines above.`);
  return summary;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the sweeper's function must have it (PreviewBuilds sets it).`);
  return value;
}
