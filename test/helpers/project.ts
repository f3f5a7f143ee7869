import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen';
import { CONNECTION_ARN } from './pipeline';
import { ServerlessServiceProject, ServerlessServiceProjectOptions } from '../../src';

/** Options every test starts from; an outdir under the OS temp folder keeps synth away from this checkout. */
export function serviceOptions(overrides: Partial<ServerlessServiceProjectOptions> = {}): ServerlessServiceProjectOptions {
  return {
    name: 'orders',
    defaultReleaseBranch: 'main',
    cdkVersion: '2.189.1',
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'service-')),
    ...overrides,
  };
}

/** Synthesizes a service and returns its files by path. */
export function synthService(overrides: Partial<ServerlessServiceProjectOptions> = {}): Record<string, any> {
  return Testing.synth(new ServerlessServiceProject(serviceOptions(overrides)));
}

/** Real-looking values for every option that defaults to a placeholder. */
export const REAL_DETAILS: Partial<ServerlessServiceProjectOptions> = {
  pipelineAccount: '123456789012',
  sourceRepository: {
    owner: 'acme',
    connectionArn: CONNECTION_ARN,
  },
  stages: [
    { name: 'dev', account: '210987654321' },
    { name: 'prod', account: '109876543210', manualApproval: true },
  ],
};

/** Synthesizes a service into its outdir and leaves it there (no npm install), as `npx projen` does after creation. */
export function synthInPlace(options: ServerlessServiceProjectOptions): void {
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    new ServerlessServiceProject(options).synth();
  } finally {
    if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = previous;
  }
}
