import { Project, TextFile } from 'projen';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';
import { pipelineStackName } from '../settings/constants';
import { ResolvedServiceSettings } from '../settings/resolve';
import { stageValues } from '../settings/stage-defaults';

/** Where the page lives in a service; the service's README links to it. */
export const PIPELINE_PAGE = 'docs/pipeline.md';

/**
 * `docs/pipeline.md`: the service's own pipeline as a Mermaid diagram and a table, drawn
 * from `.projenrc.ts` by every `npx projen`, so it never drifts from what is deployed.
 */
export class PipelinePage extends TextFile {
  constructor(project: Project, settings: ResolvedServiceSettings) {
    super(project, PIPELINE_PAGE);
    const stages = settings.stages.map((stage, index) => {
      const values = stageValues(stage.settings)!;
      return { ...stage, id: `s${index}`, profile: values.profile, strategy: values.deploymentStrategy };
    });
    const { owner, name: repository, branch } = settings.sourceRepository;

    const diagram = [
      'flowchart LR',
      `  source["Source<br/>${owner}/${repository} @ ${branch}"] --> build["Build<br/>npx projen build"]`,
      '  build --> update["UpdatePipeline<br/>self-mutation"] --> assets["Assets<br/>published once"]',
    ];
    let previous = 'assets';
    for (const stage of stages) {
      diagram.push(`  subgraph ${stage.id} ["${stage.name}: ${stage.profile}, ${stage.account} ${stage.region}"]`);
      // [node id, node as drawn], in the order the stage runs them.
      const steps: Array<[string, string]> = [
        ...stage.manualApproval ? [[`${stage.id}_approve`, '{{"manual approval"}}'] as [string, string]] : [],
        ...stage.stepsBefore.map((step, i): [string, string] => [`${stage.id}_before${i}`, `["${step.name}"]`]),
        [`${stage.id}_deploy`, `["deploy: ${stage.strategy}"]`],
        [`${stage.id}_tests`, '["acceptance tests<br/>rollback if they fail"]'],
        ...stage.stepsAfter.map((step, i): [string, string] => [`${stage.id}_after${i}`, `["${step.name}"]`]),
      ];
      diagram.push(`    ${steps.map(([id, node]) => id + node).join(' --> ')}`);
      diagram.push('  end');
      diagram.push(`  ${previous} --> ${steps[0][0]}`);
      previous = `${stage.id}_tests`;
    }

    const rows = stages.map((stage, i) => `| ${i + 1} | ${stage.name} | ${stage.account} | ${stage.region} | ${stage.profile} | `
      + `${stage.manualApproval ? 'yes' : 'no'} | ${stage.strategy} | after every deploy |`);

    [
      ...this.marker ? [`<!-- ${this.marker} -->`] : [],
      `# ${settings.serviceName}: delivery pipeline`,
      '',
      `Drawn from \`.projenrc.ts\` by \`npx projen\` (template ${PACKAGE_NAME} ${PACKAGE_VERSION}); change the stages there.`,
      `The pipeline \`${pipelineStackName(settings.serviceName)}\` runs in account ${settings.pipelineAccount}, ${settings.pipelineRegion}.`,
      '',
      '```mermaid',
      ...diagram,
      '```',
      '',
      '| order | stage | account | region | profile | manual approval | deployment | acceptance tests |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      'Every deployment is checked by a pre-traffic health check and rolled back by CodeDeploy when an alarm',
      '(Lambda errors, API 5XX, p99 latency, throttles) fires; failed acceptance tests send traffic back to',
      'the previous version and stop the pipeline.',
    ].forEach((line) => this.addLine(line));
  }
}
