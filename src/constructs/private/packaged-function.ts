import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { acknowledge } from './nag';
import { FUNCTION_NODE_VERSION } from '../../settings/constants';

/** The Lambda runtime of every function of a service: the service's own and those this package ships. */
export const FUNCTION_RUNTIME = new lambda.Runtime(`nodejs${FUNCTION_NODE_VERSION}.x`, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

/**
 * Acknowledges cdk-nag's L1 (the latest runtime of the family) on a function running
 * FUNCTION_RUNTIME: L1 compares with the newest runtime the installed aws-cdk-lib knows, so a new
 * aws-cdk-lib would otherwise fail every synth the day it lists a newer Node.js.
 */
export function acknowledgeFunctionRuntime(fn: IConstruct): void {
  acknowledge(fn, 'L1', `The runtime is nodejs${FUNCTION_NODE_VERSION}.x, the one this release of @org/serverless-service is `
    + 'tested on (local = Lambda parity included); a newer Node.js runtime reaches the service with a release of the package, '
    + 'not with a newer aws-cdk-lib.');
}

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
