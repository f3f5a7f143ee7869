import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionRole } from './private/function-role';
import { packagedFunctionProps } from './private/packaged-function';

/**
 * Properties of an `AcceptanceRollback`.
 */
export interface AcceptanceRollbackProps {
  /**
   * Name of the rollback function. It is fixed so that the pipeline account can be
   * granted to invoke it before the function exists.
   */
  readonly functionName: string;

  /**
   * The alias whose traffic goes back to the previous version.
   */
  readonly alias: lambda.IAlias;

  /**
   * The account of the pipeline, whose acceptance-test step invokes the rollback.
   */
  readonly pipelineAccount: string;

  /**
   * How long the rollback function keeps its logs.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A function that points the live alias back at the version before the current one.
 * The pipeline's acceptance-test step invokes it when the tests fail, so a release that
 * passed its canary but fails acceptance leaves users on the previous version, and the
 * pipeline stops.
 */
export class AcceptanceRollback extends Construct {
  /** The ARN a function named `functionName` has in this stack's account and region. */
  public static functionArn(scope: Construct, functionName: string): string {
    const stack = Stack.of(scope);
    return `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:${functionName}`;
  }

  /** The rollback function. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: AcceptanceRollbackProps) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: `Sends traffic of ${props.alias.aliasName} back to the previous version when acceptance tests fail`,
      ...packagedFunctionProps('rollback'),
      timeout: Duration.seconds(30),
      role: functionRole(this, 'Role', logGroup, `Rolls ${props.alias.aliasName} back after failed acceptance tests`),
      logGroup,
      environment: {
        FUNCTION_NAME: props.alias.version.lambda.functionName,
        ALIAS_NAME: props.alias.aliasName,
      },
    });
    // Alias actions are authorized against the function's plain ARN or the alias's: both, for
    // this alias only; listing versions takes the plain ARN.
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:ListVersionsByFunction'],
      resources: [props.alias.version.lambda.functionArn, props.alias.functionArn],
    }));
    // The pipeline account's CodeBuild role still needs its own IAM permission to invoke.
    this.function.addPermission('PipelineInvoke', {
      principal: new iam.AccountPrincipal(props.pipelineAccount),
      action: 'lambda:InvokeFunction',
    });
  }
}
