import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cfnLintErrors, findTemplates } from '../helpers/cfn-lint';
import { EVERY_OPTION, pipelineStack, serviceApp } from '../helpers/pipeline';

/** Synthesizes the pipeline stack of `build` into a new folder and returns its templates, by path. */
function synthesized(build: (app: ReturnType<typeof serviceApp>) => void): { outdir: string; templates: string[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const app = serviceApp(outdir);
  build(app);
  app.synth();
  return { outdir, templates: findTemplates(outdir) };
}

test('cfn-lint finds no error in any synthesized template', () => {
  const { outdir, templates } = synthesized((app) => pipelineStack(undefined, app));
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

test('cfn-lint finds no error with every option set: a windowed, gated, approved prod with bake time, steps, authorizers, a web ACL, provisioned concurrency', () => {
  const { templates } = synthesized((app) => pipelineStack(EVERY_OPTION.stages, app, EVERY_OPTION.overrides));
  const pipeline = JSON.parse(fs.readFileSync(templates.find((t) => t.endsWith('orders-pipeline.template.json'))!, 'utf8'));
  const stages = Object.values<any>(pipeline.Resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline').Properties.Stages;
  // The options really are in what is linted.
  expect(stages.map((s: any) => s.Name)).toEqual(expect.arrayContaining(['Approve-prod', 'Window-prod', 'prod']));
  expect(stages.find((s: any) => s.Name === 'prod').BeforeEntry.Conditions[0].Rules).toHaveLength(5);
  const prod = fs.readFileSync(templates.find((t) => t.includes('assembly-orders-pipeline-prod'))!, 'utf8');
  expect(prod).toContain('COGNITO_USER_POOLS');
  expect(prod).toContain('AWS::WAFv2::WebACLAssociation');
  expect(fs.readFileSync(templates.find((t) => t.includes('assembly-orders-pipeline-staging'))!, 'utf8')).toMatch(/"AuthorizationType": "AWS_IAM"/);
  const dev = JSON.parse(fs.readFileSync(templates.find((t) => t.includes('assembly-orders-pipeline-dev'))!, 'utf8'));
  const alias = Object.values<any>(dev.Resources).find((r) => r.Type === 'AWS::Lambda::Alias');
  expect(alias.Properties.ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 2 });
  expect(Object.keys(alias.UpdatePolicy)).toEqual(['CodeDeployLambdaAliasUpdate']);

  expect(cfnLintErrors(templates)).toEqual([]);
}, 180_000);
