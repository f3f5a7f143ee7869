/** The parts of a synthesized AWS::CodePipeline::Pipeline that the tests read. */
export interface PipelineAction {
  readonly Name: string;
  readonly RunOrder: number;
  readonly ActionTypeId: { readonly Category: string; readonly Provider: string };
}

export interface PipelineStage {
  readonly Name: string;
  readonly Actions: PipelineAction[];
}

/** The stages of the one pipeline in a CloudFormation template (as JSON). */
export function pipelineStagesOf(template: { Resources: Record<string, any> }): PipelineStage[] {
  const pipelines = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline');
  if (pipelines.length !== 1) throw new Error(`Expected one pipeline in the template, found ${pipelines.length}`);
  return pipelines[0].Properties.Stages;
}

/** The category of the action that runs first in a stage: "Approval" when a person must approve first. */
export function firstCategory(stage: PipelineStage): string {
  return [...stage.Actions].sort((a, b) => a.RunOrder - b.RunOrder)[0].ActionTypeId.Category;
}

/** Whether a stage's acceptance tests run after every one of its deploy actions. */
export function testsRunAfterDeploys(stage: PipelineStage): boolean {
  const deploys = stage.Actions.filter((a) => a.ActionTypeId.Category === 'Deploy');
  const tests = stage.Actions.filter((a) => a.Name === 'AcceptanceTests');
  const lastDeploy = Math.max(...deploys.map((a) => a.RunOrder));
  return deploys.length > 0 && tests.length === 1 && tests[0].RunOrder > lastDeploy;
}
