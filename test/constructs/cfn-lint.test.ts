import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cfnLintErrors, findTemplates } from '../helpers/cfn-lint';
import { pipelineStack, serviceApp } from '../helpers/pipeline';

test('cfn-lint finds no error in any synthesized template', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const app = serviceApp(outdir);
  pipelineStack(undefined, app);
  app.synth();
  const templates = findTemplates(outdir);
  const names = templates.map((t) => path.relative(outdir, t)).sort();
  // The pipeline, its support stack for the other region (prod), and one stack per stage.
  expect(names).toEqual([
    expect.stringMatching(/^assembly-orders-pipeline-dev\/.*\.template\.json$/),
    expect.stringMatching(/^assembly-orders-pipeline-prod\/.*\.template\.json$/),
    expect.stringMatching(/^assembly-orders-pipeline-staging\/.*\.template\.json$/),
    'cross-region-stack-111111111111_eu-central-1.template.json',
    'orders-pipeline.template.json',
  ]);

  expect(cfnLintErrors(templates)).toEqual([]);
}, 120_000);
