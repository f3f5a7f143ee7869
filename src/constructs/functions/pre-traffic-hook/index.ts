import { randomUUID } from 'crypto';
import { CodeDeployClient, LifecycleEventStatus, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** What CodeDeploy sends to a BeforeAllowTraffic hook of a Lambda deployment. */
export interface LifecycleHookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

/** Outcome of one health check of the new version. */
export interface HealthCheckResult {
  readonly healthy: boolean;
  readonly statusCode?: number;
  readonly reason?: string;
  /** The health check's request id: the new version's trace carries it as its `requestId` annotation. */
  readonly requestId?: string;
}

// Created once per execution environment, reused by every invocation.
const lambda = new LambdaClient({});
const codedeploy = new CodeDeployClient({});

/** A GET on `path` as API Gateway (REST, payload 1.0) would send it through the `{proxy+}` resource. */
export function healthCheckEvent(path: string): APIGatewayProxyEvent {
  const headers = { 'accept': 'application/json', 'user-agent': 'codedeploy-pre-traffic-hook' };
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    // serverless-express routes on pathParameters.proxy when present, not on `path`.
    pathParameters: { proxy: path.replace(/^\/+/, '') },
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'pre-traffic-hook',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: 'GET',
      path,
      stage: 'live',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'pre-traffic-hook',
      resourcePath: '/{proxy+}',
      // A caller without IAM, Cognito, API key or client certificate.
      identity: {
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'],
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
    },
    body: null,
    isBase64Encoded: false,
  };
}

/** Invokes `targetArn` with a GET on `path`; healthy only for a 200 without a function error. Throws if the invoke does. */
export async function checkHealth(targetArn: string, path: string): Promise<HealthCheckResult> {
  const request = healthCheckEvent(path);
  const requestId = request.requestContext.requestId;
  const res = await lambda.send(new InvokeCommand({
    FunctionName: targetArn,
    Payload: JSON.stringify(request),
  }));
  const text = res.Payload ? Buffer.from(res.Payload).toString('utf8') : '';
  if (res.FunctionError) {
    return { healthy: false, requestId, reason: `function error ${res.FunctionError}: ${text.slice(0, 500)}` };
  }
  // Invalid JSON throws here, and the handler reports that as Failed.
  const statusCode = (JSON.parse(text || 'null') as { statusCode?: unknown } | null)?.statusCode;
  if (statusCode !== 200) {
    return {
      healthy: false,
      requestId,
      statusCode: typeof statusCode === 'number' ? statusCode : undefined,
      reason: `expected statusCode 200, got ${String(statusCode)}`,
    };
  }
  return { healthy: true, requestId, statusCode: 200 };
}

/**
 * Lets CodeDeploy shift traffic only if the new version answers its health route.
 * Always reports a status (anything unexpected counts as Failed); only a failing report
 * itself propagates, and CodeDeploy then times the hook out, which also fails the deployment.
 */
export async function handler(event: LifecycleHookEvent): Promise<void> {
  // Both are set by ServiceApi: the version CodeDeploy is about to shift to, and the service's healthPath setting.
  const target = process.env.TARGET_VERSION_ARN;
  const path = process.env.HEALTH_PATH;
  let result: HealthCheckResult;
  try {
    const missing = ['TARGET_VERSION_ARN', 'HEALTH_PATH'].filter((name) => !process.env[name]);
    result = missing.length === 0
      ? await checkHealth(target!, path!)
      : { healthy: false, reason: `${missing.join(' and ')} not set` };
  } catch (err) {
    result = { healthy: false, reason: `health check threw: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` };
  }

  const status = result.healthy ? LifecycleEventStatus.SUCCEEDED : LifecycleEventStatus.FAILED;
  console.log(JSON.stringify({
    message: 'pre-traffic health check',
    deploymentId: event.DeploymentId,
    // This invocation's X-Ray trace (active tracing); the AWS SDK passes it on, so the new version's health check joins it.
    traceId: process.env._X_AMZN_TRACE_ID?.match(/Root=([^;]+)/)?.[1],
    target,
    method: 'GET',
    path,
    status,
    ...result,
  }));

  await codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status,
  }));
}
