'use strict';
// Figure 2, one run in a fresh process: what a cold start makes the first caller wait for. Requires
// the bundle, sends one API Gateway REST API (1.0) event through its handler (events.cjs), and
// prints the milliseconds from just before require() until the response is back, then exits.
//   node first-request.cjs <bundle.js> <events folder> <path>
// Node's own start (the same for every bundle, and paid by Lambda's runtime before it loads the
// handler) is outside the figure; everything the bundle costs, its source map under
// --enable-source-maps included, is inside.
const { performance } = require('perf_hooks');
const { context, restApiEvent } = require('./events.cjs');

const [bundle, eventsDir, urlPath] = process.argv.slice(2);
const makeEvent = restApiEvent(eventsDir, 'GET', urlPath);

async function main() {
  const started = performance.now();
  const { handler } = require(bundle);
  const response = await handler(makeEvent(), context);
  const ms = performance.now() - started;
  if (response?.statusCode !== 200) throw new Error(`the handler answered ${response?.statusCode}: ${response?.body}`);
  // On stderr: the service's logger writes its JSON lines on stdout.
  process.stderr.write(`\nfirst-request-ms ${ms}\n`);
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
