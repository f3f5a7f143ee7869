import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ServiceApi } from './service-api';

/**
 * Properties of a `ServiceStack`.
 */
export interface ServiceStackProps extends StackProps {
  /**
   * Short name of the service.
   */
  readonly serviceName: string;

  /**
   * Folder holding the bundled Lambda handler.
   */
  readonly lambdaCodePath: string;
}

/**
 * Everything one stage of the service runs: its API and function.
 */
export class ServiceStack extends Stack {
  /** The service's API. */
  public readonly serviceApi: ServiceApi;

  /** Stack output holding the API's base URL; acceptance tests read it as SERVICE_URL. */
  public readonly apiUrlOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);

    this.serviceApi = new ServiceApi(this, 'Service', {
      serviceName: props.serviceName,
      codePath: props.lambdaCodePath,
    });

    this.apiUrlOutput = new CfnOutput(this, 'ApiUrl', {
      description: `Base URL of the ${props.serviceName} API`,
      value: this.serviceApi.url,
    });
  }
}
