import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The execution role of a function that logs to its own `logGroup`: it may write log streams
 * of that group and nothing else. It replaces the AWS managed AWSLambdaBasicExecutionRole, which
 * allows creating and writing any log group of the account. The policy is inline in the role,
 * so it exists as soon as the role does, before the function's first invocation.
 */
export function functionRole(scope: Construct, id: string, logGroup: logs.ILogGroup, description: string): iam.Role {
  return new iam.Role(scope, id, {
    description,
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: {
      Logs: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          // The group's Arn attribute already ends in ":*", which covers its streams.
          resources: [logGroup.logGroupArn],
        })],
      }),
    },
  });
}
