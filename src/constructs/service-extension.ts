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
