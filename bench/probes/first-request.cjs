'use strict';
// Figure 2, one run in a fresh process: what a cold start makes the first caller wait for. Requires
// the bundle, sends one API Gateway REST API (1.0) event through its handler (events.cjs), and
// prints the milliseconds from just before require() until the response is back, then exits.
//   node first-request.cjs <bundle.js> <events folder> <path> [--code-cache <file>] [--make-code-cache <file>]
// Node's own start (the same for every bundle, and paid by Lambda's runtime before it loads the
// handler) is outside the figure; everything the bundle costs, its source map under
// --enable-source-maps included, is inside.
// --code-cache loads the bundle through code-cache.cjs with that V8 code cache (the figure then
// includes reading and checking it); --make-code-cache writes one after the first response, when
// the functions that request ran are compiled and so go into the cache too.
const fs = require('fs');
const { performance } = require('perf_hooks');
const { parseArgs } = require('util');
const { context, restApiEvent } = require('./events.cjs');

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'code-cache': { type: 'string' }, 'make-code-cache': { type: 'string' } },
});
const [bundle, eventsDir, urlPath] = positionals;
const makeEvent = restApiEvent(eventsDir, 'GET', urlPath);

async function main() {
  const cacheFile = options['code-cache'] ?? options['make-code-cache'];
  const started = performance.now();
  const codeCache = cacheFile === undefined ? undefined : require('./code-cache.cjs');
  const loaded = codeCache ? codeCache.loadWithCodeCache(bundle, options['code-cache']) : { exports: require(bundle) };
  const response = await loaded.exports.handler(makeEvent(), context);
  const ms = performance.now() - started;
  if (response?.statusCode !== 200) throw new Error(`the handler answered ${response?.statusCode}: ${response?.body}`);
  if (options['make-code-cache']) fs.writeFileSync(options['make-code-cache'], codeCache.codeCacheOf(loaded.script, loaded.source));
  // On stderr: the service's logger writes its JSON lines on stdout.
  process.stderr.write(`\nfirst-request-ms ${ms}\n`);
  if (options['code-cache']) process.stderr.write(`code-cache-rejected ${loaded.rejected}${loaded.reason ? `: ${loaded.reason}` : ''}\n`);
  process.stderr.write(`first-response ${JSON.stringify(response)}\n`);
  process.exit(0);
}

// Bounded: a hard stop if the handler never answers.
setTimeout(() => {
  console.error('first-request: no response after 30 s');
  process.exit(2);
}, 30_000).unref();
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
