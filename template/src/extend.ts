import type { IServiceExtension, ServiceStage } from '@org/serverless-service';
import type { pipelines } from 'aws-cdk-lib';

/**
 * Your own additions to every stage and to the pipeline, in code. This file is yours:
 * upgrades of the template never touch it. For settings (stages, environment variables,
 * permissions, extra pipeline steps), prefer the options in .projenrc.ts.
 */
export const extension: IServiceExtension = {
  /**
   * Runs once per stage, before it joins the pipeline. `stage.serviceStack` is the stage's
   * stack and `stage.serviceStack.serviceApi.function` the service's function, for example:
   * `new dynamodb.TableV2(stage.serviceStack, 'Orders', { ... }).grantReadWriteData(stage.serviceStack.serviceApi.function)`.
   */
  extendStage(_stage: ServiceStage): void {},

  /** Runs once, before the pipeline is built: add waves or steps with `pipeline.addWave(...)`. */
  extendPipeline(_pipeline: pipelines.CodePipeline): void {},
};
