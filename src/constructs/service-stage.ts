import { Aspects, CfnOutput, DefaultStackSynthesizer, PermissionsBoundary, Stage, StageProps } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { RolePaths } from './private/role-paths';
import { ServiceStack } from './service-stack';
import { PERMISSIONS_BOUNDARY_NAME, stageRolePath } from '../settings/constants';
import { FunctionPolicyStatementProps } from '../settings/service-settings';
import { StageSettingsProps } from '../settings/stage-settings';

/**
 * Properties of a `ServiceStage`.
 */
export interface ServiceStageProps extends StageProps {
  /**
   * Short name of the service.
   */
  readonly serviceName: string;

  /**
   * Folder holding the bundled Lambda handler.
   */
  readonly lambdaCodePath: string;

  /**
   * Settings of this stage.
   *
   * @default - the defaults of the PRODUCTION profile
   */
  readonly settings?: StageSettingsProps;

  /**
   * Extra permissions of the function.
   *
   * @default - none beyond writing its logs
   */
  readonly functionPolicyStatements?: FunctionPolicyStatementProps[];

  /**
   * Route the pre-traffic hook calls on a new version before it receives any traffic.
   *
   * @default "/api/v1/health"
   */
  readonly healthPath?: string;

  /**
   * Account of the pipeline that deploys this stage.
   *
   * @default - no acceptance-test rollback function
   */
  readonly pipelineAccount?: string;

  /**
   * Region of the pipeline that deploys this stage.
   *
   * @default - the stage's region
   */
  readonly pipelineRegion?: string;
}

/**
 * One deployment of the service (dev, staging, prod...), in its own account and region.
 * Its stack is named `<service>-<stage>`. Every IAM role it creates, an extension's included,
 * carries the account's permissions boundary and lies under the stage's IAM path, the two
 * things the account's execution policy requires of a role.
 */
export class ServiceStage extends Stage {
  /** The stack the stage deploys. */
  public readonly serviceStack: ServiceStack;

  constructor(scope: Construct, id: string, props: ServiceStageProps) {
    super(scope, id, { ...props, permissionsBoundary: props.permissionsBoundary ?? PermissionsBoundary.fromName(PERMISSIONS_BOUNDARY_NAME) });
    Aspects.of(this).add(new RolePaths(stageRolePath(props.serviceName, id)));

    this.serviceStack = new ServiceStack(this, props.serviceName, {
      stackName: `${props.serviceName}-${id}`,
      synthesizer: literalPartitionSynthesizer(props.env?.region),
      serviceName: props.serviceName,
      stageName: id,
      lambdaCodePath: props.lambdaCodePath,
      settings: props.settings,
      functionPolicyStatements: props.functionPolicyStatements,
      healthPath: props.healthPath,
      pipelineAccount: props.pipelineAccount,
      pipelineRegion: props.pipelineRegion,
    });
  }

  /** Output holding the stage's API URL. */
  public get apiUrlOutput(): CfnOutput {
    return this.serviceStack.apiUrlOutput;
  }
}

/**
 * The default synthesizer, with the partition of the bootstrap role ARNs written out
 * when the region is known. The pipeline's deploy actions then name the CloudFormation
 * execution role with a plain ARN, which cfn-lint can validate (it cannot validate the
 * `Fn::Join` that `${AWS::Partition}` turns into).
 */
function literalPartitionSynthesizer(region: string | undefined): DefaultStackSynthesizer | undefined {
  const partition = region ? RegionInfo.get(region).partition : undefined;
  if (!partition) return undefined;
  const literal = (arn: string) => arn.replace('${AWS::Partition}', partition);
  return new DefaultStackSynthesizer({
    cloudFormationExecutionRole: literal(DefaultStackSynthesizer.DEFAULT_CLOUDFORMATION_ROLE_ARN),
    deployRoleArn: literal(DefaultStackSynthesizer.DEFAULT_DEPLOY_ROLE_ARN),
    fileAssetPublishingRoleArn: literal(DefaultStackSynthesizer.DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN),
    imageAssetPublishingRoleArn: literal(DefaultStackSynthesizer.DEFAULT_IMAGE_ASSET_PUBLISHING_ROLE_ARN),
    lookupRoleArn: literal(DefaultStackSynthesizer.DEFAULT_LOOKUP_ROLE_ARN),
  });
}
