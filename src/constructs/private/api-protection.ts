import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledge } from './nag';
import { ResolvedStageSettings } from './stage-settings';
import { ApiAuthorization } from '../../settings/enums';

/**
 * Who may call the API's methods, as the API's default method options.
 *
 * IAM and COGNITO protect the stage's URL, not the function: CodeDeploy's pre-traffic hook
 * invokes the new version directly (lambda:InvokeFunction), so it keeps working. The
 * acceptance tests do call the URL: against an IAM stage they must sign their requests
 * (SigV4, with credentials allowed execute-api:Invoke), against a COGNITO stage send a
 * token of the pool; unsigned, they fail and the stage is rolled back.
 */
export function authorizationOptions(scope: Construct, settings: ResolvedStageSettings): apigateway.MethodOptions | undefined {
  switch (settings.authorization) {
    case ApiAuthorization.IAM:
      return { authorizationType: apigateway.AuthorizationType.IAM };
    case ApiAuthorization.COGNITO:
      return {
        authorizationType: apigateway.AuthorizationType.COGNITO,
        authorizer: new apigateway.CognitoUserPoolsAuthorizer(scope, 'Authorizer', {
          cognitoUserPools: [cognito.UserPool.fromUserPoolArn(scope, 'UserPool', settings.cognitoUserPoolArn!)],
        }),
      };
    default:
      return undefined;
  }
}

/**
 * The stage's logging: JSON access logs in a group kept as long as the stage's other logs,
 * and execution logs of errors only (never request or response bodies, which may hold
 * personal data). API Gateway writes both through the account's CloudWatch role.
 */
export function loggingOptions(scope: Construct, settings: ResolvedStageSettings): apigateway.StageOptions {
  const accessLogs = new logs.LogGroup(scope, 'AccessLogs', { retention: settings.logRetention });
  return {
    accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
    accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
      caller: true,
      httpMethod: true,
      ip: true,
      protocol: true,
      requestTime: true,
      resourcePath: true,
      responseLength: true,
      status: true,
      user: true,
    }),
    loggingLevel: apigateway.MethodLoggingLevel.ERROR,
    dataTraceEnabled: false,
  };
}

/**
 * What protects the API once it exists: the group of its execution logs with the stage's
 * retention, request validation on every method, unauthenticated CORS preflights when
 * callers must authenticate, and the stage's web ACL. `stageName` is the stage's name as
 * written: its token would make the log group depend on the stage it must precede.
 */
export function protectApi(scope: Construct, api: apigateway.LambdaRestApi, alias: lambda.IFunction, settings: ResolvedStageSettings,
  stageName: string): void {
  const stage = api.deploymentStage;
  // API Gateway would create this group itself, kept forever; created here first, it keeps the stage's retention.
  const executionLogs = new logs.LogGroup(scope, 'ExecutionLogs', {
    logGroupName: `API-Gateway-Execution-Logs_${api.restApiId}/${stageName}`,
    retention: settings.logRetention,
  });
  stage.node.addDependency(executionLogs);

  if (settings.authorization !== ApiAuthorization.NONE && settings.corsAllowedOrigins.length > 0) {
    // Browsers send preflights without credentials, so an authorized OPTIONS would fail every
    // cross-origin call: the app's cors() answers them, as it does on an open API.
    const preflight = { authorizationType: apigateway.AuthorizationType.NONE };
    const integration = new apigateway.LambdaIntegration(alias);
    // LambdaRestApi forbids addMethod on its root once it proxies; a Method may still be attached to it.
    new apigateway.Method(api.root, 'OPTIONS', { resource: api.root, httpMethod: 'OPTIONS', integration, options: preflight });
    api.root.getResource('{proxy+}')!.addMethod('OPTIONS', integration, preflight);
  }

  // With no model or required parameter declared (the proxy declares none), API Gateway lets
  // every request through; it enforces whatever a method declares later.
  const validator = api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
  for (const method of api.methods) {
    (method.node.defaultChild as apigateway.CfnMethod).requestValidatorId = validator.requestValidatorId;
  }
  // Set after the methods were built: the deployment's hash must still change, or the stage keeps the old snapshot.
  api.latestDeployment?.addToLogicalId({ requestValidator: 'body-and-parameters' });

  if (settings.webAclArn) {
    // The stage ARN names the stage (a reference), so the association waits for it.
    new wafv2.CfnWebACLAssociation(scope, 'WebAcl', { resourceArn: stage.stageArn, webAclArn: settings.webAclArn });
  }

  acknowledgeAuthorization(api, settings.authorization);
  // A disposable copy leaves the account's logging role to the stage it copies.
  const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    acknowledge(cloudWatchRole, 'IAM4', 'API Gateway logs through one role per account and region, '
    + 'shared by every REST API there. AmazonAPIGatewayPushToCloudWatchLogs is the service-role policy AWS maintains for '
    + 'that role; a policy scoped to this API\'s log groups would stop every other API of the account from logging.',
    'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs');
  }
}

/** Acknowledges, method by method, the authorization rules a stage's chosen authorization leaves open. */
function acknowledgeAuthorization(api: apigateway.RestApi, authorization: ApiAuthorization): void {
  for (const method of api.methods) {
    if (method.httpMethod === 'OPTIONS' && authorization !== ApiAuthorization.NONE) {
      const reason = 'CORS preflight: browsers send OPTIONS without credentials, so it cannot be authorized; '
        + 'the app answers it with CORS headers for the stage\'s allowed origins only, and every other method is authorized.';
      acknowledge(method, 'APIG4', reason);
      acknowledge(method, 'COG4', reason);
    } else if (authorization === ApiAuthorization.NONE) {
      const reason = 'The stage is configured as a public API (authorization NONE, the default): the service '
        + 'authenticates callers in the app if it needs to. Set the stage\'s authorization to IAM or COGNITO to have API Gateway do it.';
      acknowledge(method, 'APIG4', reason);
      acknowledge(method, 'COG4', reason);
    } else if (authorization === ApiAuthorization.IAM) {
      acknowledge(method, 'COG4', 'The method requires IAM (SigV4) authorization; a Cognito user pool is an alternative to it, not a requirement on top.');
    }
  }
}
