'use strict';
// Figure 3, one run in a fresh process: per-request time of one path, after a warm-up.
//   node warm-requests.cjs <config.json> <result.json>
// config: { mode: 'rest' | 'http' | 'express', handlerBundle, appBundle, eventsDir, path, warmup, count }
// 'rest' and 'http' call the bundled Lambda handler with an API Gateway REST (1.0) or HTTP API (2.0)
// event (events.cjs); 'express' sends GET requests over loopback (127.0.0.1, one keep-alive
// connection) to createApp() listening on an ephemeral port.
const fs = require('fs');
const http = require('http');

const [configFile, resultFile] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
const { context, httpApiEvent, restApiEvent } = require('./events.cjs');

/** Returns one function per request that resolves once the response is complete, and a function to close. */
async function lambdaPath(makeEvent) {
  const { handler } = require(config.handlerBundle);
  return {
    request: async () => {
      const res = await handler(makeEvent(), context);
      if (res.statusCode !== 200) throw new Error(`Lambda path answered ${res.statusCode}: ${res.body}`);
    },
    close: async () => undefined,
  };
}

async function expressPath() {
  const { createApp } = require(config.appBundle);
  const server = http.createServer(createApp());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    request: () => new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: config.path, method: 'GET', agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`Express answered ${res.statusCode}`))));
        res.on('error', reject);
      });
      req.setTimeout(5_000, () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end();
    }),
    close: async () => {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function main() {
  const target = config.mode === 'express' ? await expressPath()
    : await lambdaPath((config.mode === 'rest' ? restApiEvent : httpApiEvent)(config.eventsDir, 'GET', config.path));
  for (let i = 0; i < config.warmup; i++) await target.request();
  const micros = new Array(config.count);
  for (let i = 0; i < config.count; i++) {
    const started = process.hrtime.bigint();
    await target.request();
    micros[i] = Number(process.hrtime.bigint() - started) / 1e3;
  }
  await target.close();
  fs.writeFileSync(resultFile, JSON.stringify({ mode: config.mode, micros }));
}

// Bounded: a fixed count of requests, and a hard stop if anything hangs.
setTimeout(() => {
  console.error('warm-requests: gave up after 120 s');
  process.exit(2);
}, 120_000).unref();
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
