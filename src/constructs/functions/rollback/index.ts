import { GetAliasCommand, LambdaClient, ListVersionsByFunctionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';

/** What `handler` did: `from` is the newest version the alias was sending traffic to. */
export type RollbackResult =
  | { readonly rolledBack: true; readonly from: string; readonly to: string }
  | { readonly rolledBack: false; readonly from: string; readonly reason: string };

export const DEFAULT_ALIAS_NAME = 'live';

// Created once per execution environment, reused by every invocation.
const lambda = new LambdaClient({});

/** A published version number ("7"); not `$LATEST`, not an alias name. */
function isVersion(version: string | undefined): version is string {
  return version !== undefined && /^\d+$/.test(version);
}

/** The highest published version strictly lower than `below`, across every page; undefined when there is none. */
export async function previousVersion(functionName: string, below: number): Promise<string | undefined> {
  let best: number | undefined;
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }));
    for (const { Version } of page.Versions ?? []) {
      // Compare as numbers: as strings, "9" > "10".
      const n = isVersion(Version) ? Number(Version) : NaN;
      if (n < below && (best === undefined || n > best)) best = n;
    }
    marker = page.NextMarker;
  } while (marker);
  return best === undefined ? undefined : String(best);
}

/**
 * Sends all of the alias's traffic back to the version before the current one, so that a
 * release whose acceptance tests failed stops serving without anyone acting. Unexpected
 * states (no FUNCTION_NAME, alias on `$LATEST`, API errors) throw, so the failure is visible.
 */
export async function handler(): Promise<RollbackResult> {
  const functionName = process.env.FUNCTION_NAME;
  if (!functionName) throw new Error('FUNCTION_NAME is not set');
  const aliasName = process.env.ALIAS_NAME || DEFAULT_ALIAS_NAME;

  const alias = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: aliasName }));
  const primary = alias.FunctionVersion;
  if (!isVersion(primary)) throw new Error(`alias ${aliasName} points at ${String(primary)}, not a published version`);
  const weighted = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})
    .filter(([version, weight]) => isVersion(version) && weight > 0)
    .map(([version]) => Number(version));
  const routed = [Number(primary), ...weighted];
  const from = String(Math.max(...routed));

  // Mid-shift, CodeDeploy keeps the old version as primary and weights the new one, so the oldest version still routed is the one live before this release: going below the primary would skip a release.
  const to = weighted.length > 0 ? String(Math.min(...routed)) : await previousVersion(functionName, Number(primary));

  let result: RollbackResult;
  if (to === undefined) {
    result = { rolledBack: false, from, reason: 'no earlier version to roll back to' };
  } else {
    await lambda.send(new UpdateAliasCommand({
      FunctionName: functionName,
      Name: aliasName,
      FunctionVersion: to,
      // Empty weights clear any canary routing: all traffic goes to `to`.
      RoutingConfig: { AdditionalVersionWeights: {} },
      // Fails (PreconditionFailedException) rather than overwrite an alias changed since we read it.
      RevisionId: alias.RevisionId,
    }));
    result = { rolledBack: true, from, to };
  }
  console.log(JSON.stringify({ message: 'rollback', functionName, aliasName, primary, weighted, ...result }));
  return result;
}
