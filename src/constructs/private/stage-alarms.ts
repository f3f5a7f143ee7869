import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { stageRolePath } from '../../settings/constants';

/** The alarms that roll a stage's deployment back, by the last part of their names. */
export const ROLLBACK_ALARMS = ['lambda-errors', 'api-5xx', 'latency-p99', 'lambda-throttles'] as const;

/**
 * Names, not references: the pipeline (another account, another CDK stage) names these alarms
 * in its conditions and bake steps, and references cannot cross stages.
 */
export function stageAlarmNames(serviceName: string, stageName: string): string[] {
  return ROLLBACK_ALARMS.map((alarm) => stageAlarmName(serviceName, stageName, alarm));
}

/** "<service>-<stage>-<alarm>": notifications also match a stage's alarms on this prefix. */
export function stageAlarmName(serviceName: string, stageName: string, alarm: RollbackAlarm): string {
  return `${serviceName}-${stageName}-${alarm}`;
}

export type RollbackAlarm = typeof ROLLBACK_ALARMS[number];

/** The role the pipeline assumes to read a stage's alarms: its conditions and bake step. */
function alarmReaderRoleName(serviceName: string, stageName: string): string {
  return `${serviceName}-${stageName}-alarm-reader`;
}

/** ARN of a stage's alarm reader role, from where the stage deploys (under the stage's path, as every role of it). */
export function alarmReaderRoleArn(partition: string, account: string, serviceName: string, stageName: string): string {
  return `arn:${partition}:iam::${account}:role${stageRolePath(serviceName, stageName)}${alarmReaderRoleName(serviceName, stageName)}`;
}

/**
 * In a stage's stack: the role the pipeline account assumes to read the stage's rollback alarms
 * (`cloudwatch:DescribeAlarms` on those alarms only), for its alarm gates and bake time.
 */
export function alarmReaderRole(scope: Construct, serviceName: string, stageName: string, pipelineAccount: string): iam.Role {
  const stack = Stack.of(scope);
  return new iam.Role(scope, 'AlarmReaderRole', {
    roleName: alarmReaderRoleName(serviceName, stageName),
    description: `Lets the ${serviceName} pipeline read the alarms of ${stageName}`,
    assumedBy: new iam.AccountPrincipal(pipelineAccount),
    inlinePolicies: {
      ReadAlarms: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({
          actions: ['cloudwatch:DescribeAlarms'],
          resources: stageAlarmNames(serviceName, stageName)
            .map((name) => stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME })),
        })],
      }),
    },
  });
}
