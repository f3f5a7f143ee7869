import { Component, Project } from 'projen';
import { PIPELINE_PAGE } from './pipeline-page';
import { findPlaceholders, ResolvedServiceSettings } from '../settings/resolve';

/** What a person does after `projen new`, printed once at the end of it. */
export class NextSteps extends Component {
  constructor(project: Project, private readonly settings: ResolvedServiceSettings) {
    super(project);
  }

  public postProjectCreation(): void {
    const placeholders = findPlaceholders(this.settings);
    console.log([
      '',
      `Service ${this.settings.serviceName} created. Next:`,
      `  1. npx projen dev                    run it on http://localhost:3000${this.settings.healthPath}`,
      '  2. npx projen build                  type-check, test, lint, bundle and synthesize',
      ...placeholders.length > 0
        ? [`  3. in .projenrc.ts, set: ${placeholders.map((p) => p.option).join(', ')}; then npx projen`]
        : ['  3. check the accounts and connection in .projenrc.ts'],
      '  4. npx projen bootstrap              prints the cdk bootstrap command of every account',
      '  5. npx projen deploy                 deploys the pipeline once; merges deploy themselves after that',
      ...this.settings.previews
        ? [`  6. npx projen sandbox                deploys your own copy into the ${this.settings.previews.hostStage.name} account (--watch redeploys code as you save)`]
        : [],
      `The pipeline, stage by stage: ${PIPELINE_PAGE}. The manual: README.md.`,
      '',
    ].join('\n'));
  }
}
