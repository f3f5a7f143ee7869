import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { authorizationOptions, loggingOptions, protectApi } from './private/api-protection';
import { deploymentRole } from './private/deployment-role';
import { functionRole } from './private/function-role';
import { addGatewayResponses } from './private/gateway-responses';
import { acknowledge, functionQualifiersFinding } from './private/nag';
import { acknowledgeFunctionRuntime, FUNCTION_RUNTIME, packagedFunctionProps } from './private/packaged-function';
import { ROLLBACK_ALARMS, RollbackAlarm, stageAlarmName } from './private/stage-alarms';
import { ResolvedStageSettings, resolveStageSettings } from './private/stage-settings';
import { DEFAULT_HEALTH_PATH } from '../settings/constants';
import { FunctionPolicyStatementProps } from '../settings/service-settings';
import { StageSettingsProps } from '../settings/stage-settings';

/**
 * Properties of a `ServiceApi`.
 */
export interface ServiceApiProps {
  /**
   * Short name of the service, used in resource names and descriptions.
   */
  readonly serviceName: string;

  /**
   * Name of the stage (dev, prod...), used in alarm names.
   *
   * @default "dev"
   */
  readonly stageName?: string;

  /**
   * Folder holding the bundled Lambda handler. It is built once (by the service's
   * `bundle` task) and the same asset is deployed to every stage.
   */
  readonly lambdaCodePath: string;

  /**
   * The handler, as `file.export` inside `codePath`.
   *
   * @default "index.handler"
   */
  readonly handler?: string;

  /**
   * Route the pre-traffic hook calls on a new version before it receives any traffic.
   *
   * @default "/api/v1/health"
   */
  readonly healthPath?: string;

  /**
   * Settings of this stage: memory, timeout, logs, throttling, CORS, deployment strategy, tracing.
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
   * Whether this is a disposable copy of a stage (a pull request's preview, a developer's
   * sandbox): each release takes all traffic at once, watched by no one, so it has no alarms,
   * pre-traffic hook, CodeDeploy deployment or provisioned concurrency; and it leaves API
   * Gateway's account-wide logging role to the stage it copies.
   *
   * @default false
   */
  readonly disposable?: boolean;
}

/**
 * The service's HTTP API in one stage: the Express app in one Lambda function, published
 * as a version behind the `live` alias, and a REST API whose proxy integration targets
 * that alias. New versions reach the alias through CodeDeploy: a pre-traffic hook calls
 * the new version's health route first, then traffic shifts as the stage's deployment
 * strategy says, and any alarm (Lambda errors, API 5XX, p99 latency, throttles) rolls it back.
 */
export class ServiceApi extends Construct {
  /** Name of the alias that receives traffic. */
  public static readonly LIVE_ALIAS = 'live';

  /** The function running the Express app. */
  public readonly function: lambda.Function;

  /** The alias API Gateway invokes; CodeDeploy moves it from version to version. */
  public readonly liveAlias: lambda.Alias;

  /** The REST API in front of the alias. */
  public readonly api: apigateway.LambdaRestApi;

  /** The CodeDeploy deployment group that shifts traffic to new versions; none in a disposable copy. */
  public readonly deploymentGroup?: codedeploy.LambdaDeploymentGroup;

  /** The function CodeDeploy runs before a new version receives traffic; none in a disposable copy. */
  public readonly preTrafficHook?: lambda.Function;

  /** The alarms that roll a deployment back; none in a disposable copy. */
  public readonly alarms: cloudwatch.Alarm[];

  /** How long this stage keeps its logs; the stage's other functions keep theirs as long. */
  public readonly logRetention: logs.RetentionDays;

  /** The role CodeDeploy deploys with: it may move the live alias, read the four alarms and invoke the hook; none in a disposable copy. */
  public readonly deploymentRole?: iam.Role;

  /** The X-Ray permissions of the stage's traced functions, when the stage traces; `traceFunction` adds one. */
  public readonly tracingPolicy?: iam.Policy;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'dev';
    const settings = resolveStageSettings(props.settings, `${stageName}.`, Stack.of(this).region);
    this.logRetention = settings.logRetention;

    const functionLogs = new logs.LogGroup(this, 'FunctionLogs', { retention: settings.logRetention });
    const role = functionRole(this, 'FunctionRole', functionLogs, `Runs ${props.serviceName} (${stageName})`);
    this.function = new lambda.Function(this, 'Function', {
      description: `${props.serviceName} HTTP API (Express on serverless-express)`,
      // The service's bundle targets this runtime's Node.js; builds type-check against the older build Node.js.
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(props.lambdaCodePath),
      handler: props.handler ?? 'index.handler',
      memorySize: settings.memorySize,
      timeout: settings.timeout,
      reservedConcurrentExecutions: settings.reservedConcurrency,
      role,
      logGroup: functionLogs,
      environment: {
        ...settings.environment,
        NODE_OPTIONS: '--enable-source-maps',
        SERVICE_NAME: props.serviceName,
        STAGE_NAME: stageName,
        // Read by the app's cors() setup; an empty value allows no cross-origin caller.
        CORS_ALLOWED_ORIGINS: settings.corsAllowedOrigins.join(','),
        POWERTOOLS_SERVICE_NAME: props.serviceName,
      },
    });
    acknowledgeFunctionRuntime(this.function);

    for (const statement of props.functionPolicyStatements ?? []) {
      this.function.addToRolePolicy(new iam.PolicyStatement({ actions: statement.actions, resources: statement.resources }));
    }

    this.liveAlias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: ServiceApi.LIVE_ALIAS,
      version: this.function.currentVersion,
      // On the alias, never a version: it follows the alias from release to release (CodeDeploy's
      // traffic shifting included). Never in a disposable copy, where it would be billed idle.
      provisionedConcurrentExecutions: props.disposable ? undefined : settings.provisionedConcurrency,
    });

    this.api = new apigateway.LambdaRestApi(this, 'Api', {
      restApiName: `${props.serviceName}-${stageName}`,
      description: `${props.serviceName} HTTP API (${stageName})`,
      handler: this.liveAlias,
      proxy: true,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // Bodies pass unchanged both ways: requests arrive base64-encoded, and the handler base64-encodes
      // every response that is not UTF-8 text. CORS preflights reach the app through the proxy (no MOCK
      // integration, which '*/*' would break), so they need no content handling.
      binaryMediaTypes: ['*/*'],
      defaultMethodOptions: authorizationOptions(this, settings),
      // API Gateway writes access and execution logs through an account-wide role; the stage waits for it.
      // A disposable copy must not own it: destroying the copy would take the role from the stage it copies.
      cloudWatchRole: !props.disposable,
      deployOptions: {
        stageName: ServiceApi.LIVE_ALIAS,
        throttlingRateLimit: settings.throttlingRateLimit,
        throttlingBurstLimit: settings.throttlingBurstLimit,
        tracingEnabled: settings.tracing,
        ...loggingOptions(this, settings),
      },
    });
    protectApi(this, this.api, this.liveAlias, settings, ServiceApi.LIVE_ALIAS);
    // What API Gateway answers itself (throttled, unauthorized, too large...) answers as the app does.
    addGatewayResponses(this.api, settings.corsAllowedOrigins);

    if (settings.tracing) this.tracingPolicy = this.createTracingPolicy();
    this.traceFunction(this.function);
    if (props.disposable) {
      this.alarms = [];
      return;
    }
    this.alarms = this.createAlarms(props.serviceName, stageName, settings);

    const hookLogs = new logs.LogGroup(this, 'PreTrafficHookLogs', { retention: settings.logRetention });
    this.preTrafficHook = new lambda.Function(this, 'PreTrafficHook', {
      description: `Calls ${props.serviceName}'s health route on a new version before it receives traffic`,
      ...packagedFunctionProps('pre-traffic-hook'),
      timeout: Duration.minutes(1),
      role: functionRole(this, 'PreTrafficHookRole', hookLogs, `Checks new versions of ${props.serviceName} (${stageName})`),
      logGroup: hookLogs,
      environment: {
        TARGET_VERSION_ARN: this.function.currentVersion.functionArn,
        HEALTH_PATH: props.healthPath ?? DEFAULT_HEALTH_PATH,
      },
    });
    acknowledgeFunctionRuntime(this.preTrafficHook);
    // Every qualifier of the function rather than this version: the grant stays the same from one
    // release to the next, so no deployment calls a new version before IAM has spread its permission.
    const hookRole = this.preTrafficHook.role as iam.Role;
    hookRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['lambda:InvokeFunction'],
      resources: [`${this.function.functionArn}:*`],
    }));
    acknowledge(hookRole, 'IAM5', 'The hook invokes the version being deployed, which changes with every release: ":*" names '
      + 'the versions of this one function, no other function.', functionQualifiersFinding(this, this.function));
    this.traceFunction(this.preTrafficHook);

    this.deploymentRole = deploymentRole(this, 'DeploymentRole', {
      alias: this.liveAlias,
      preTrafficHook: this.preTrafficHook,
      alarms: this.alarms,
    });
    this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'Deployment', {
      alias: this.liveAlias,
      deploymentConfig: codedeploy.LambdaDeploymentConfig[settings.deploymentStrategy],
      alarms: this.alarms,
      preHook: this.preTrafficHook,
      // Immutable here: the group would otherwise attach AWSCodeDeployRoleForLambdaLimited and a
      // hook grant on every version of the hook; the role's own policy already allows what it needs.
      role: this.deploymentRole.withoutPolicyUpdates(),
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
  }

  /** Base URL of the API, ending in a slash. */
  public get url(): string {
    return this.api.url;
  }

  /**
   * Traces a function of the stage (the service's own, its hook, its drift report, an extension's)
   * when the stage traces: active X-Ray tracing and the one X-Ray policy. Lambda refuses active
   * tracing to a role without the policy, so the function waits for it.
   */
  public traceFunction(fn: lambda.Function): void {
    if (!this.tracingPolicy) return;
    this.tracingPolicy.attachToRole(fn.role as iam.IRole);
    (fn.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: lambda.Tracing.ACTIVE };
    fn.node.addDependency(this.tracingPolicy);
  }

  /**
   * The traced functions' X-Ray permissions, in one policy of their own: PutTraceSegments and
   * PutTelemetryRecords accept no resource but "*", and apart from the functions' other grants
   * that "*" can be acknowledged exactly.
   */
  private createTracingPolicy(): iam.Policy {
    const policy = new iam.Policy(this, 'TracingPolicy', {
      statements: [new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });
    acknowledge(policy, 'IAM5', 'X-Ray\'s PutTraceSegments and PutTelemetryRecords support no resource-level permissions '
      + '(their only resource is "*"); this policy holds nothing else, and exists only where the stage traces.', 'Resource::*');
    return policy;
  }

  private createAlarms(serviceName: string, stageName: string, settings: ResolvedStageSettings): cloudwatch.Alarm[] {
    const period = Duration.minutes(1);
    const latencyMs = settings.latencyAlarmThreshold.toMilliseconds();
    // `id`: the construct ids of 0.1.0, kept so that an upgrade keeps the alarms it has.
    const definitions: Record<RollbackAlarm, { id: string } & Omit<cloudwatch.AlarmProps, 'comparisonOperator' | 'treatMissingData'>> = {
      'lambda-errors': {
        id: 'LambdaErrors',
        metric: this.liveAlias.metricErrors({ period, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        alarmDescription: 'The function threw or timed out behind the live alias',
      },
      'api-5xx': {
        id: 'Api5xx',
        metric: this.api.metricServerError({ period, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        alarmDescription: 'The API answered with a 5XX',
      },
      'latency-p99': {
        id: 'LatencyP99',
        metric: this.api.metricLatency({ period, statistic: 'p99' }),
        threshold: latencyMs,
        evaluationPeriods: 2,
        alarmDescription: `p99 latency of the API reached ${latencyMs} ms`,
      },
      'lambda-throttles': {
        id: 'LambdaThrottles',
        metric: this.liveAlias.metricThrottles({ period, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        alarmDescription: 'Invocations were throttled behind the live alias',
      },
    };
    return ROLLBACK_ALARMS.map((name) => {
      const { id, ...props } = definitions[name];
      return new cloudwatch.Alarm(this, id, {
        ...props,
        // Named, not referenced: the pipeline's alarm gates and bake steps read them from another stage.
        alarmName: stageAlarmName(serviceName, stageName, name),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    });
  }
}
