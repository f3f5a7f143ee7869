import { CliCredentialsStackSynthesizer, DefaultStackSynthesizer, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge, documentAllowStatements, wildcardFindings } from './private/nag';
import { EXECUTION_POLICY_NAME } from '../settings/constants';
import {
  disposableRolePathRoot, previewAccessRolePath, previewAccessStackName, previewDeployRoleName, previewExecutionRoleName,
  previewStackPrefix, sandboxStackPrefix,
} from '../settings/preview-names';

/**
 * Properties of a `PreviewAccessStack`.
 */
export interface PreviewAccessStackProps extends StackProps {
  /**
   * Short name of the service.
   */
  readonly serviceName: string;

  /**
   * Name of the stage previews and sandboxes copy; their roles lie under its IAM path.
   */
  readonly hostStageName: string;

  /**
   * Account of the pipeline whose preview builds deploy and destroy previews.
   */
  readonly pipelineAccount: string;

  /**
   * Name of the customer-managed policy CloudFormation deploys the account's stages with (made by
   * `npx projen bootstrap`'s printed steps); previews deploy with it too, held to their own roles.
   *
   * @default "serverless-service-cfn-execution"
   */
  readonly executionPolicyName?: string;
}

/**
 * The two roles previews and sandboxes are deployed with, in the dev stage's account: a deploy
 * role that `cdk deploy` assumes (from the pipeline's preview builds, or a developer of the
 * account) and that may act on `<service>-pr-<number>` and `<service>-sandbox-<name>` stacks
 * only, and an execution role CloudFormation deploys them with: the account's execution policy,
 * denied any change to a role outside the previews' IAM path.
 *
 * A person deploys it once with the account's administrator credentials (`npx projen
 * previews:access`), as with the bootstrap: the pipeline's deploys may only create roles under the
 * permissions boundary, which holds no CloudFormation or iam:PassRole.
 */
export class PreviewAccessStack extends Stack {
  /** The role `cdk deploy` of a preview or sandbox assumes. */
  public readonly deployRole: iam.Role;

  /** The role CloudFormation deploys previews and sandboxes with. */
  public readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: PreviewAccessStackProps) {
    super(scope, id, {
      stackName: previewAccessStackName(props.serviceName),
      description: `Roles the previews and sandboxes of ${props.serviceName} deploy with`,
      // The caller's own credentials: the bootstrap's execution role could not create these roles.
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...props,
    });
    const { serviceName, hostStageName } = props;
    const path = previewAccessRolePath(serviceName);
    const stackArns = [
      // "<service>-pr-" and a digit: a stage name starts with a letter, so no stage stack of any service matches.
      ...'123456789'.split('').map((digit) => this.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${previewStackPrefix(serviceName)}${digit}*/*` })),
      this.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${sandboxStackPrefix(serviceName)}*/*` }),
    ];

    const executionPolicy = iam.ManagedPolicy.fromManagedPolicyName(this, 'AccountExecutionPolicy', props.executionPolicyName ?? EXECUTION_POLICY_NAME);
    const previewRoles = this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `${disposableRolePathRoot(serviceName, hostStageName).slice(1)}*` });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: previewExecutionRoleName(serviceName),
      path,
      description: `CloudFormation deploys the previews and sandboxes of ${serviceName} with this role`,
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
      managedPolicies: [executionPolicy],
      inlinePolicies: {
        PreviewRolesOnly: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'NoRoleOutsideThePreviewsPath',
              effect: iam.Effect.DENY,
              actions: ROLE_CHANGING_ACTIONS,
              notResources: [previewRoles],
            }),
          ],
        }),
      },
    });

    const principals = [...new Set([props.pipelineAccount, this.account])].map((account) => new iam.AccountPrincipal(account));
    const assetsBucket = `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${this.account}-${this.region}`;
    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: previewDeployRoleName(serviceName),
      path,
      description: `cdk deploy of the previews and sandboxes of ${serviceName} assumes this role`,
      // The pipeline's preview builds, and developers of this account for their sandboxes; each needs sts:AssumeRole on it.
      assumedBy: new iam.CompositePrincipal(...principals),
      inlinePolicies: {
        DeployPreviews: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'PreviewAndSandboxStacks',
              actions: STACK_ACTIONS,
              resources: stackArns,
            }),
            new iam.PolicyStatement({
              // Neither supports a resource: counting previews (their cap, the sweeper) and sandboxes (sandbox:list).
              sid: 'ListStacks',
              actions: ['cloudformation:ListStacks', 'cloudformation:GetTemplateSummary'],
              resources: ['*'],
            }),
            new iam.PolicyStatement({
              sid: 'PassPreviewExecutionRole',
              actions: ['iam:PassRole'],
              // Written out, not referenced: the role's ARN as IAM matches it.
              resources: [this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `${path.slice(1)}${previewExecutionRoleName(serviceName)}` })],
              conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
            }),
            new iam.PolicyStatement({
              // CloudFormation reads the templates cdk deploy uploaded with the caller's permissions.
              sid: 'ReadTemplates',
              actions: ['s3:GetObject', 's3:GetBucketLocation', 's3:ListBucket'],
              resources: [`arn:${this.partition}:s3:::${assetsBucket}`, `arn:${this.partition}:s3:::${assetsBucket}/*`],
            }),
            new iam.PolicyStatement({
              sid: 'BootstrapVersion',
              actions: ['ssm:GetParameter', 'ssm:GetParameters'],
              resources: [this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `cdk-bootstrap/${DefaultStackSynthesizer.DEFAULT_QUALIFIER}/version` })],
            }),
          ],
        }),
      },
    });

    const inline = this.deployRole.node.defaultChild as iam.CfnRole;
    const statements = (this.resolve(inline.policies) as iam.CfnRole.PolicyProperty[])
      .flatMap((policy) => documentAllowStatements(this, policy.policyDocument));
    for (const finding of wildcardFindings(statements)) {
      acknowledge(this.deployRole, 'IAM5', finding.startsWith('Resource::*')
        ? 'ListStacks and GetTemplateSummary support no resource-level permissions; the assets bucket\'s objects are the templates CloudFormation reads.'
        : 'Previews and sandboxes are named "<service>-pr-<number>" and "<service>-sandbox-<name>": the pattern names exactly those stacks, '
          + 'and the assets bucket\'s objects are the templates CloudFormation reads.', finding);
    }
    acknowledge(this.executionRole, 'IAM4', 'The account\'s execution policy, computed from the stages\' templates (npx projen '
      + 'execution-policy): the same CloudFormation deploys the dev stage with; the inline Deny holds previews to their own roles.');
  }
}

/** What CloudFormation and the CDK CLI do to a stack while deploying, rolling back and destroying it. */
const STACK_ACTIONS = [
  'cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteChangeSet',
  'cloudformation:ListChangeSets', 'cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack',
  'cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStackResources',
  'cloudformation:ListStackResources', 'cloudformation:GetTemplate', 'cloudformation:RollbackStack',
  'cloudformation:ContinueUpdateRollback', 'cloudformation:CancelUpdateStack', 'cloudformation:UpdateTerminationProtection',
  'cloudformation:TagResource', 'cloudformation:UntagResource',
];

/** Every IAM action that creates, changes, passes or deletes a role or what it is allowed. */
const ROLE_CHANGING_ACTIONS = [
  'iam:CreateRole', 'iam:DeleteRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:TagRole', 'iam:UntagRole', 'iam:PassRole',
  'iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole',
];
