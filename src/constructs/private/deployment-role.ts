import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledge, functionQualifiersFinding } from './nag';

/** What CodeDeploy touches while it shifts one alias. */
export interface DeploymentRoleProps {
  readonly alias: lambda.Alias;
  readonly preTrafficHook: lambda.IFunction;
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * The role CodeDeploy shifts traffic with: what the AWS managed AWSCodeDeployRoleForLambdaLimited
 * allows, narrowed to this stage. It may read and move the function's aliases and read the
 * configuration of its versions, read the deployment group's alarms and invoke the pre-traffic
 * hook; the managed policy allows the same actions on every function and alarm of the account
 * (and S3 objects this deployment never reads).
 */
export function deploymentRole(scope: Construct, id: string, props: DeploymentRoleProps): iam.Role {
  const functionArn = props.alias.version.lambda.functionArn;
  const role = new iam.Role(scope, id, {
    description: `CodeDeploy role moving ${props.alias.aliasName} between versions`,
    assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
    inlinePolicies: {
      Deployment: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
            // Authorized against the function's ARN qualified by the alias or by the version CodeDeploy
            // reads (":*": this function's qualifiers, which change with every release), or unqualified.
            resources: [functionArn, `${functionArn}:*`],
          }),
          new iam.PolicyStatement({
            // DescribeAlarms is authorized per alarm: the group's alarms are named exactly.
            actions: ['cloudwatch:DescribeAlarms'],
            resources: props.alarms.map((alarm) => alarm.alarmArn),
          }),
        ],
      }),
    },
  });
  // Apart from the role: the hook's own policy names the deployment group, which names this role,
  // so the role cannot name the hook. The alias, whose update starts deployments, waits for it.
  const hookPolicy = new iam.Policy(scope, `${id}HookPolicy`, {
    roles: [role],
    statements: [new iam.PolicyStatement({
      // CodeDeploy invokes the hook by the name the AppSpec gives; qualified, the ARN takes a suffix.
      actions: ['lambda:InvokeFunction'],
      resources: [props.preTrafficHook.functionArn, `${props.preTrafficHook.functionArn}:*`],
    })],
  });
  props.alias.node.addDependency(hookPolicy);
  const reason = 'Lambda authorizes calls on a version or alias against the function\'s ARN with that qualifier: ":*" names the '
    + 'qualifiers of this one function, whose versions change with every release; no other function.';
  acknowledge(role, 'IAM5', reason, functionQualifiersFinding(role, props.alias.version.lambda));
  acknowledge(hookPolicy, 'IAM5', reason, functionQualifiersFinding(hookPolicy, props.preTrafficHook));
  return role;
}
