// semver in the Lambda bundle, loaded at its first use (src/lazy-module.generated.ts). The X-Ray
// SDK requires it when it loads, for one check made only when it is asked to trace an AWS SDK v2
// client (captureAWS): on a Lambda runtime whose SDK is v3, never.
import { lazyModule } from './lazy-module.generated';

// A literal path, so that esbuild bundles it; the semver the X-Ray SDK uses (test/lazy-modules.generated.test.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export = lazyModule(() => require('../node_modules/semver/index.js'));
