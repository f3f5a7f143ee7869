import * as pipelines from 'aws-cdk-lib/pipelines';
import { ServiceStage } from './service-stage';

/**
 * A service's own additions to its stages and pipeline, in code. A generated service
 * implements it in `src/extend.ts`, a file it owns, so the additions survive every upgrade.
 */
export interface IServiceExtension {
  /**
   * Called once per stage, after the stage's resources exist and before it joins the
   * pipeline: add resources to `stage.serviceStack`, grant the function access, tag...
   */
  extendStage(stage: ServiceStage): void;

  /**
   * Called once, after every stage has joined the pipeline and before it is built:
   * add waves, stages or steps (`pipeline.addWave(...)`), or change the pipeline's settings.
   */
  extendPipeline(pipeline: pipelines.CodePipeline): void;
}

/**
 * An IAM statement the service's function is allowed (Allow only; name exact actions).
 */
export interface FunctionPolicyStatementProps {
  /**
   * Actions, such as `dynamodb:GetItem`.
   */
  readonly actions: string[];

  /**
   * Resource ARNs the actions are allowed on.
   */
  readonly resources: string[];
}

/**
 * A CodeBuild step the pipeline runs before or after a stage's deployment, from the
 * service's source with its dependencies installed.
 */
export interface PipelineStepProps {
  /**
   * Name of the step (letters, digits and hyphens), shown in the pipeline.
   */
  readonly name: string;

  /**
   * Shell commands, run in order; the step fails when one fails.
   */
  readonly commands: string[];
}
