import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Properties of a `ServiceApi`.
 */
export interface ServiceApiProps {
  /**
   * Short name of the service, used in resource names and descriptions.
   */
  readonly serviceName: string;

  /**
   * Folder holding the bundled Lambda handler. It is built once (by the service's
   * `bundle` task) and the same asset is deployed to every stage.
   */
  readonly codePath: string;

  /**
   * The handler, as `file.export` inside `codePath`.
   *
   * @default "index.handler"
   */
  readonly handler?: string;

  /**
   * Memory of the function, in MiB.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * Timeout of one invocation. API Gateway gives up after 29 seconds whatever this says.
   *
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
}

/**
 * The service's HTTP API: the Express app in one Lambda function, published as a
 * version behind the `live` alias, and a REST API whose proxy integration targets
 * that alias (so that traffic shifting between versions shifts real traffic).
 */
export class ServiceApi extends Construct {
  /** Name of the alias that receives traffic. */
  public static readonly LIVE_ALIAS = 'live';

  /** The function running the Express app. */
  public readonly function: lambda.Function;

  /** The alias API Gateway invokes; it points at the newest published version. */
  public readonly liveAlias: lambda.Alias;

  /** The REST API in front of the alias. */
  public readonly api: apigateway.LambdaRestApi;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });

    this.function = new lambda.Function(this, 'Function', {
      description: `${props.serviceName} HTTP API (Express on serverless-express)`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(props.codePath),
      handler: props.handler ?? 'index.handler',
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        SERVICE_NAME: props.serviceName,
      },
    });

    this.liveAlias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: ServiceApi.LIVE_ALIAS,
      version: this.function.currentVersion,
    });

    this.api = new apigateway.LambdaRestApi(this, 'Api', {
      restApiName: `${props.serviceName}-api`,
      description: `${props.serviceName} HTTP API`,
      handler: this.liveAlias,
      proxy: true,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      deployOptions: { stageName: ServiceApi.LIVE_ALIAS },
    });
  }

  /** Base URL of the API, ending in a slash. */
  public get url(): string {
    return this.api.url;
  }
}
