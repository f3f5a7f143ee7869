'use strict';
// The baseline bundle of figure 1: a CDK app with one NodejsFunction on the service's handler, all
// bundling options left at aws-cdk-lib's defaults (bundle, --target of the runtime, --platform=node,
// no minify, no sourcemap, --external:@aws-sdk/*), bundled by the local esbuild instead of Docker.
//   node nodejs-function-app.cjs <service folder> <cdk outdir>
const path = require('path');

const [serviceDir, outdir] = process.argv.slice(2);
if (!serviceDir || !outdir) throw new Error('usage: node nodejs-function-app.cjs <service folder> <cdk outdir>');
// aws-cdk-lib (and through it esbuild) as the service has them.
const cdkLib = (name) => require(require.resolve(name, { paths: [serviceDir] }));
const { App, Stack } = cdkLib('aws-cdk-lib');
const { Runtime } = cdkLib('aws-cdk-lib/aws-lambda');
const { NodejsFunction } = cdkLib('aws-cdk-lib/aws-lambda-nodejs');

const app = new App({ outdir });
const stack = new Stack(app, 'baseline');
new NodejsFunction(stack, 'Handler', {
  entry: path.join(serviceDir, 'src', 'handler.generated.ts'),
  handler: 'handler',
  // The service's runtime (Node.js 22), given explicitly: the default runtime depends on a feature flag,
  // and NODEJS_LATEST would bundle the AWS SDK instead of leaving it external.
  runtime: Runtime.NODEJS_22_X,
  bundling: { forceDockerBundling: false },
});
app.synth();
