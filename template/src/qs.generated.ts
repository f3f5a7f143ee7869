// qs in the Lambda bundle, loaded at its first use (src/lazy-module.generated.ts). Express and
// body-parser require it when they load, and ask it for something only to parse a URL-encoded body
// or an "extended" query string; with it go side-channel, object-inspect and get-intrinsic.
import { lazyModule } from './lazy-module.generated';

// A literal path, so that esbuild bundles it; the qs express and body-parser use (test/lazy-modules.generated.test.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export = lazyModule(() => require('../node_modules/qs/lib/index.js'));
