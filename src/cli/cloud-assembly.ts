import * as fs from 'fs';
import * as path from 'path';
import { partitionOf } from './bootstrap-commands';
import { DeployedStack } from '../policy/execution-policy';

interface Manifest {
  readonly artifacts?: Record<string, ManifestArtifact>;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly directoryName?: string };
}

/**
 * The stacks of the service's stages in a cloud assembly (`cdk.out`): those of its nested
 * assemblies, one per CDK Stage, deployed into the stage accounts by the pipeline. The stacks
 * of the top-level assembly (the pipeline and its support stacks) deploy into the pipeline
 * account, and are left out.
 */
export function readStageStacks(assemblyDir: string): DeployedStack[] {
  return nestedAssemblies(assemblyDir, readManifest(assemblyDir)).flatMap(({ dir, manifest }) => stacksOf(dir, manifest));
}

/** The nested assemblies of an assembly, depth first, each read once. */
function nestedAssemblies(dir: string, manifest: Manifest): Array<{ dir: string; manifest: Manifest }> {
  return Object.values(manifest.artifacts ?? {})
    .filter((artifact) => artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName)
    .flatMap((artifact) => {
      const nested = path.join(dir, artifact.properties!.directoryName!);
      const nestedManifest = readManifest(nested);
      return [{ dir: nested, manifest: nestedManifest }, ...nestedAssemblies(nested, nestedManifest)];
    });
}

function stacksOf(dir: string, manifest: Manifest): DeployedStack[] {
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => {
      const match = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(artifact.environment ?? '');
      if (!match) {
        throw new Error(`Stack ${id} has no concrete account and region (${artifact.environment}); give every stage an account and a region.`);
      }
      const [, account, region] = match;
      return {
        stackName: artifact.properties?.stackName ?? id,
        account,
        region,
        partition: partitionOf(region),
        template: JSON.parse(fs.readFileSync(path.join(dir, artifact.properties!.templateFile!), 'utf8')),
      };
    });
}

function readManifest(dir: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${dir} is not a cloud assembly (no manifest.json): run cdk synth first.`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
