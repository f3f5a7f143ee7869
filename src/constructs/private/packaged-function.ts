import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FUNCTION_NODE_VERSION } from '../../settings/constants';

/** The Lambda runtime of every function of a service: the service's own and those this package ships. */
export const FUNCTION_RUNTIME = new lambda.Runtime(`nodejs${FUNCTION_NODE_VERSION}.x`, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

/** How a function this package ships compiled (`functions/<folder>`) runs: the parts every such function shares. */
export function packagedFunctionProps(folder: string): Pick<lambda.FunctionProps, 'runtime' | 'architecture' | 'code' | 'handler'> {
  return {
    runtime: FUNCTION_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    // Only the compiled handler: the type declarations beside it have no use at run time.
    code: lambda.Code.fromAsset(path.join(__dirname, '..', 'functions', folder), { exclude: ['*.d.ts'] }),
    handler: 'index.handler',
  };
}
