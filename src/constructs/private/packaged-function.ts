import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** How a function this package ships compiled (`functions/<folder>`) runs: the parts every such function shares. */
export function packagedFunctionProps(folder: string): Pick<lambda.FunctionProps, 'runtime' | 'architecture' | 'code' | 'handler'> {
  return {
    // Code of this package, run on the newest Node.js runtime aws-cdk-lib knows.
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    // Only the compiled handler: the type declarations beside it have no use at run time.
    code: lambda.Code.fromAsset(path.join(__dirname, '..', 'functions', folder), { exclude: ['*.d.ts'] }),
    handler: 'index.handler',
  };
}
