/** Figure 6: what one release costs in CodeBuild, read from the synthesized pipeline template. */
import * as fs from 'fs';
import * as path from 'path';

interface Action {
  readonly Name: string;
  readonly ActionTypeId: { readonly Category: string; readonly Provider: string };
  readonly Configuration?: { readonly ProjectName?: unknown };
}
interface Stage { readonly Name: string; readonly Actions: Action[] }
interface Resource { readonly Type: string; readonly Properties?: any }

export interface PipelineFigures {
  /** CodeBuild actions per pipeline stage, in pipeline order. */
  readonly codeBuildByStage: Array<[string, number]>;
  readonly codeBuildActions: number;
  /** Actions that publish assets (CDK pipelines' Assets stage, or actions named after assets). */
  readonly assetActions: number;
  /** `cdk-assets ... publish` commands in those actions: one per asset and target account. */
  readonly assetPublishCommands: number;
  /** CodeBuild projects of the template (the pipeline's and any other, such as pull-request builds). */
  readonly projects: number;
  /** Projects with PrivilegedMode (Docker in Docker) or a build spec that calls docker. */
  readonly privilegedOrDocker: string[];
  /** Per compute type, how many projects use it. */
  readonly computeTypes: Record<string, number>;
  /** CodeBuild actions whose install phase runs a full `npm ci` / `npm install` of the service. */
  readonly fullInstalls: string[];
}

export function pipelineFigures(templateFile: string): PipelineFigures {
  const resources: Record<string, Resource> = JSON.parse(fs.readFileSync(templateFile, 'utf8')).Resources;
  const pipelines = Object.values(resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline');
  if (pipelines.length !== 1) throw new Error(`Expected one pipeline in ${templateFile}, found ${pipelines.length}`);
  const stages: Stage[] = pipelines[0].Properties.Stages;

  const projectsById = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CodeBuild::Project');
  const buildSpecOf = (r: Resource) => {
    const spec = r.Properties?.Source?.BuildSpec;
    // A long build spec (one action publishing every asset) is written beside the template, as JSON.
    const file = typeof spec === 'string' && /^buildspec-.*\.ya?ml$/.test(spec) ? path.join(path.dirname(templateFile), spec) : undefined;
    if (file && fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
    return typeof spec === 'string' ? spec : JSON.stringify(spec ?? '');
  };
  const projectOf = (action: Action) => {
    const ref = action.Configuration?.ProjectName as { Ref?: string } | undefined;
    return ref?.Ref ? resources[ref.Ref] : undefined;
  };

  const commands = (r: Resource | undefined, phase: 'install' | 'build'): string[] => {
    try {
      return JSON.parse(r ? buildSpecOf(r) : '{}').phases?.[phase]?.commands ?? [];
    } catch {
      return []; // a build spec file name, not an inline spec
    }
  };

  const isCodeBuild = (a: Action) => a.ActionTypeId.Provider === 'CodeBuild';
  const isAsset = (stage: Stage, a: Action) => isCodeBuild(a) && (stage.Name === 'Assets' || /Asset/.test(a.Name));
  const assetActions = stages.flatMap((s) => s.Actions.filter((a) => isAsset(s, a)));
  const fullInstalls = stages.flatMap((s) => s.Actions.filter(isCodeBuild)
    .filter((a) => commands(projectOf(a), 'install').some((cmd) => /^npm (ci|install)\b/.test(cmd) && !/\s-g\b/.test(cmd)))
    .map((a) => `${s.Name}/${a.Name}`));

  const computeTypes: Record<string, number> = {};
  for (const [, r] of projectsById) {
    const type = String(r.Properties?.Environment?.ComputeType ?? '?');
    computeTypes[type] = (computeTypes[type] ?? 0) + 1;
  }
  return {
    codeBuildByStage: stages.map((s) => [s.Name, s.Actions.filter(isCodeBuild).length]),
    codeBuildActions: stages.reduce((sum, s) => sum + s.Actions.filter(isCodeBuild).length, 0),
    assetActions: assetActions.length,
    assetPublishCommands: assetActions.reduce((sum, a) => sum + commands(projectOf(a), 'build').filter((c) => /^cdk-assets\b.*\bpublish\b/.test(c)).length, 0),
    projects: projectsById.length,
    privilegedOrDocker: projectsById
      .filter(([, r]) => r.Properties?.Environment?.PrivilegedMode === true || /\bdocker\b/.test(buildSpecOf(r)))
      .map(([id]) => id),
    computeTypes,
    fullInstalls,
  };
}
