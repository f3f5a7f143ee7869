import { Project, TextFile } from 'projen';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info';
import { pipelineStackName } from '../settings/constants';
import { SourceProvider } from '../settings/enums';
import { previewLinkContext, previewLinkSupported, previewProjectNames } from '../settings/pull-request-events';
import { ResolvedServiceSettings, ResolvedStage } from '../settings/resolve';
import { stageValues } from '../settings/stage-defaults';

/** What a stage waits for or checks before a release may enter it, in words. */
function entryConditions(stage: ResolvedStage): string[] {
  return [
    ...stage.deploymentWindow ? [`in its window (${stage.deploymentWindow.cron}, ${stage.deploymentWindow.timeZone})`] : [],
    ...stage.previousStageAlarmGate ? ['while no alarm of the previous stage is in ALARM'] : [],
  ];
}

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
      return { ...stage, id: `s${index}`, profile: values.profile, strategy: values.deploymentStrategy, entry: entryConditions(stage).join(', ') };
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
        // The approval comes first: the entry conditions are checked after it, when the release is about to deploy.
        ...stage.manualApproval ? [[`${stage.id}_approve`, '{{"manual approval of the change set"}}'] as [string, string]] : [],
        ...stage.entry ? [[`${stage.id}_entry`, `{{"enters only ${stage.entry}"}}`] as [string, string]] : [],
        ...stage.stepsBefore.map((step, i): [string, string] => [`${stage.id}_before${i}`, `["${step.name}"]`]),
        [`${stage.id}_deploy`, `["deploy: ${stage.strategy}"]`],
        [`${stage.id}_tests`, '["acceptance tests"]'],
        ...stage.bakeTimeMinutes > 0 ? [[`${stage.id}_bake`, `["bake time: ${stage.bakeTimeMinutes} min without alarm"]`] as [string, string]] : [],
        ...stage.stepsAfter.map((step, i): [string, string] => [`${stage.id}_after${i}`, `["${step.name}"]`]),
      ];
      diagram.push(`    ${steps.map(([id, node]) => id + node).join(' --> ')}`);
      diagram.push('  end');
      diagram.push(`  ${previous} --> ${steps[0][0]}`);
      previous = steps[steps.length - 1][0];
    }

    const rows = stages.map((stage, i) => `| ${i + 1} | ${stage.name} | ${stage.account} | ${stage.region} | ${stage.profile} | `
      + `${stage.entry || 'none'} | ${stage.manualApproval ? 'yes' : 'no'} | ${stage.strategy} | `
      + `${stage.bakeTimeMinutes > 0 ? `${stage.bakeTimeMinutes} min` : 'none'} |`);

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
      '| order | stage | account | region | profile | enters only | manual approval | deployment | bake time |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      'Acceptance tests run after every deployment. What happens when something goes wrong:',
      '',
      '| what goes wrong | what happens |',
      '| --- | --- |',
      '| the new version fails its health check, or an alarm fires during the traffic shift | CodeDeploy shifts traffic back, CloudFormation rolls the stack back, the stage fails |',
      '| the acceptance tests fail, or an alarm fires during the bake time | the stage fails |',
      '| a stage fails | CodePipeline rolls the stage back to its last successful execution: it redeploys that release (through CodeDeploy, as any release), and the release stops there |',
      '| an alarm of the previous stage is in ALARM | the release does not enter the stage, and stops there |',
      '| the stage\'s deployment window is closed | the release waits at the stage\'s entry until it opens, also after an approval |',
      '| the approver rejects the release (or 7 days pass) | the release stops before the stage: nothing is deployed and nothing rolls back |',
      '| the change set about to execute is not the one approved | the stage fails before anything new is deployed (its rollback runs the release already there, which changes nothing); run the release again to review it |',
      '| any action fails | the notifications topic (emails, Slack) hears of it |',
      ...previewSection(settings),
    ].forEach((line) => this.addLine(line));
  }
}

/** The previews of pull requests, beside the pipeline: a diagram and what triggers each part. */
function previewSection(settings: ResolvedServiceSettings): string[] {
  const previews = settings.previews;
  if (!previews) return [];
  const { hostStage } = previews;
  const names = previewProjectNames(settings.serviceName);
  const service = settings.serviceName;
  return [
    '',
    '## Previews of pull requests',
    '',
    `Every pull request to \`${settings.sourceRepository.branch}\` gets its own copy of the ${hostStage.name} stage, \`${service}-pr-<number>\`, `
      + `in account ${hostStage.account}, ${hostStage.region}: all traffic at once, no alarms, logs for a week at most, nothing kept when destroyed. `
      + `At most ${previews.maxConcurrent} exist at once.`,
    '',
    '```mermaid',
    'flowchart LR',
    `  pr(["pull request opened, updated${settings.sourceRepository.provider === SourceProvider.BITBUCKET ? '' : ', reopened'}"]) --> deploy["${names.deploy}<br/>npx projen bundle<br/>cdk deploy -c preview=pr-N"]`,
    `  deploy --> tests["acceptance tests<br/>against ${service}-pr-N"] --> status{{"status on the pull request"}}`,
    ...previewLinkSupported(settings.sourceRepository.provider)
      ? [`  deploy --> link["${names.link}"] --> url{{"status ${previewLinkContext(service)}, linking to the preview's URL"}}`]
      : [],
    `  closed(["pull request merged or closed"]) --> destroy["${names.destroy}<br/>delete ${service}-pr-N"]`,
    `  daily(["every day"]) --> sweep["sweeper<br/>deletes previews not deployed for ${previews.maxAgeDays} days"]`,
    '```',
    '',
    `A developer's own copy: \`npx projen sandbox\` deploys \`${service}-sandbox-<name>\` into the same account (\`--watch\` redeploys code changes with hotswap), `
      + '`npx projen sandbox:test` runs the acceptance tests against it, `npx projen sandbox:list` lists them, `npx projen sandbox:destroy` removes yours.',
  ];
}
