import { StackProps } from 'aws-cdk-lib';
import { IServiceExtension } from './service-extension';
import { ServiceSettings } from '../settings/service-settings';

/**
 * Properties of a `ServicePipelineStack`: the service's settings (as in `.projenrc.ts`), and
 * what only the CDK app knows. Without `env`, the stack deploys to `pipelineAccount` and `pipelineRegion`.
 */
export interface ServicePipelineStackProps extends StackProps, ServiceSettings {
  /**
   * Folder holding the bundled Lambda handler, as the build leaves it.
   */
  readonly lambdaCodePath: string;

  /**
   * The service's own additions to its stages and pipeline, in code.
   *
   * @default - none
   */
  readonly extension?: IServiceExtension;
}
