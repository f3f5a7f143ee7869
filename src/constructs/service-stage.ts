import { Aspects, CfnOutput, DefaultStackSynthesizer, PermissionsBoundary, RemovalPolicies, Stage, StageProps, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { RolePaths } from './private/role-paths';
import { ServiceStack } from './service-stack';
import { PERMISSIONS_BOUNDARY_NAME, stageRolePath } from '../settings/constants';
import {
  disposableRolePath, disposableStackName, previewAccessRoleArn, previewDeployRoleName, previewExecutionRoleName,
} from '../settings/preview-names';
import { FunctionPolicyStatementProps } from '../settings/service-settings';
import { disposableStageProps } from '../settings/stage-defaults';
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

  /**
   * Name of the stage this one is a disposable copy of (a pull request's preview, a developer's
   * sandbox), in whose account and region it deploys. A copy takes that stage's settings made
   * disposable (`disposableStageProps`), keeps nothing when destroyed, puts its roles under the
   * previews' IAM path, and is deployed with the preview access roles (`PreviewAccessStack`)
   * instead of the account's bootstrap roles, which would reach every stack of the account.
   *
   * @default - a stage of the pipeline
   */
  readonly copyOf?: string;
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

  /**
   * The stage this one is a disposable copy of (a preview or sandbox), whose resources are all
   * deleted with it: an extension's S3 bucket there needs `removalPolicy: RemovalPolicy.DESTROY`
   * and `autoDeleteObjects: true`.
   */
  public readonly copyOf?: string;

  constructor(scope: Construct, id: string, props: ServiceStageProps) {
    super(scope, id, { ...props, permissionsBoundary: props.permissionsBoundary ?? PermissionsBoundary.fromName(PERMISSIONS_BOUNDARY_NAME) });
    const { serviceName, copyOf } = props;
    if (copyOf !== undefined && (!props.env?.account || !props.env.region || Token.isUnresolved(props.env.account))) {
      throw new Error(`ServiceStage ${id}: a copy of ${copyOf} needs env with the account and region of ${copyOf}, where its deploy roles are.`);
    }
    this.copyOf = copyOf;
    // Everything CloudFormation would keep (log groups, tables...), an extension's too: nothing of a copy may outlive it.
    if (copyOf !== undefined) RemovalPolicies.of(this).destroy();
    Aspects.of(this).add(new RolePaths(copyOf === undefined ? stageRolePath(serviceName, id) : disposableRolePath(serviceName, copyOf, id)));

    this.serviceStack = new ServiceStack(this, serviceName, {
      stackName: disposableStackName(serviceName, id),
      synthesizer: copyOf === undefined ? literalPartitionSynthesizer(props.env?.region) : previewSynthesizer(serviceName, props.env!),
      serviceName,
      stageName: id,
      lambdaCodePath: props.lambdaCodePath,
      settings: copyOf === undefined ? props.settings : disposableStageProps(props.settings ?? {}),
      functionPolicyStatements: props.functionPolicyStatements,
      healthPath: props.healthPath,
      // A copy is watched by no one: its alarms would page the stage's people (see ServiceApi).
      pipelineAccount: copyOf === undefined ? props.pipelineAccount : undefined,
      pipelineRegion: props.pipelineRegion,
      disposable: copyOf !== undefined,
    });
  }

  /** Output holding the stage's API URL. */
  public get apiUrlOutput(): CfnOutput {
    return this.serviceStack.apiUrlOutput;
  }
}

/**
 * A copy's synthesizer: CloudFormation calls go through the preview deploy role, which reaches
 * only the previews' and sandboxes' stacks, and deploy with the preview execution role, which
 * may change no role outside their path; assets still go to the account's bootstrap bucket.
 */
function previewSynthesizer(serviceName: string, env: { account?: string; region?: string }): DefaultStackSynthesizer {
  const partition = RegionInfo.get(env.region!).partition ?? 'aws';
  const literal = (arn: string) => arn.replace('${AWS::Partition}', partition);
  return new DefaultStackSynthesizer({
    deployRoleArn: previewAccessRoleArn(partition, env.account!, serviceName, previewDeployRoleName(serviceName)),
    cloudFormationExecutionRole: previewAccessRoleArn(partition, env.account!, serviceName, previewExecutionRoleName(serviceName)),
    fileAssetPublishingRoleArn: literal(DefaultStackSynthesizer.DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN),
    imageAssetPublishingRoleArn: literal(DefaultStackSynthesizer.DEFAULT_IMAGE_ASSET_PUBLISHING_ROLE_ARN),
    lookupRoleArn: literal(DefaultStackSynthesizer.DEFAULT_LOOKUP_ROLE_ARN),
  });
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
