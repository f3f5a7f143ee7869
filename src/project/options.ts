import { awscdk } from 'projen';
import { ServiceSettings } from '../settings/service-settings';

/**
 * Options of a serverless service: projen's options of a CDK app in TypeScript, and the
 * service's settings, which the generated CDK app passes unchanged to `ServicePipelineStack`.
 */
export interface ServerlessServiceProjectOptions extends awscdk.AwsCdkTypeScriptAppOptions, ServiceSettings {
}
