import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** What CodeDeploy touches while it shifts one alias. */
export interface DeploymentRoleProps {
  readonly alias: lambda.Alias;
  readonly preTrafficHook: lambda.IFunction;
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * The role CodeDeploy shifts traffic with: what the AWS managed AWSCodeDeployRoleForLambdaLimited
 * allows, narrowed to this stage. It may read and move the one alias, read the deployment
 * group's alarms and invoke the pre-traffic hook; the managed policy allows the same actions on
 * every function and alarm of the account (and S3 objects this deployment never reads).
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
            // Alias actions are authorized against the function or the alias ARN: both, and no other alias.
            // The alias ARN is spelled out: a reference would make the alias wait for this role and the role for it.
            resources: [functionArn, `${functionArn}:${props.alias.aliasName}`],
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
      // CodeDeploy invokes the hook by its unqualified name.
      actions: ['lambda:InvokeFunction'],
      resources: [props.preTrafficHook.functionArn],
    })],
  });
  props.alias.node.addDependency(hookPolicy);
  return role;
}
