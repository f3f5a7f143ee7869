'use strict';
// Where the cold init of a bundle goes, by package: reads V8 CPU profiles (node --cpu-prof) of
// require(bundle) and its first request (first-request.cjs), and maps each sample inside the
// bundle back to its source through the bundle's source map. Prints JSON: [{ key, ms }] per run, heaviest first.
//   node init-profile.cjs <bundle.js (with bundle.js.map)> <folder of .cpuprofile files>
const fs = require('fs');
const path = require('path');
const { SourceMap } = require('module');

const [bundleArg, profileDir] = process.argv.slice(2);
const bundle = path.resolve(bundleArg);
const sourceMap = new SourceMap(JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')));
const profiles = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
const totals = new Map();

const PACKAGE = /node_modules\/((?:@[^/]+\/)?[^/]+)/;

function keyOf(callFrame) {
  if (callFrame.url === `file://${bundle}` || callFrame.url === bundle) {
    // esbuild names the wrapper of each module's top level after the module's path.
    const wrapper = PACKAGE.exec(callFrame.functionName);
    if (wrapper) return wrapper[1];
    const entry = sourceMap.findEntry(callFrame.lineNumber, callFrame.columnNumber);
    const source = (entry && entry.originalSource) || '';
    const pkg = PACKAGE.exec(source);
    if (pkg) return pkg[1];
    if (/\/src\//.test(source)) return "the service's src/";
    // V8 compiles each module's body lazily, on its first call: that time lands in esbuild's __require.
    if (callFrame.functionName === '__require') return 'bundle: __require (mostly compiling module bodies on first require)';
    return 'bundle (esbuild runtime and unmapped)';
  }
  if (callFrame.url.startsWith('node:internal/modules')) return 'node: module loader (reading and compiling the bundle)';
  if (callFrame.url.startsWith('node:')) return 'node: core modules and bootstrap';
  if (callFrame.functionName === '(garbage collector)') return 'garbage collector';
  return `${callFrame.functionName || '(anonymous)'} (native/other)`;
}

for (const file of profiles) {
  const profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8'));
  const selfTime = new Map();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) || 0) + (profile.timeDeltas[i] || 0)));
  for (const node of profile.nodes) {
    const micros = selfTime.get(node.id) || 0;
    if (micros === 0) continue;
    const key = keyOf(node.callFrame);
    totals.set(key, (totals.get(key) || 0) + micros);
  }
}
const rows = [...totals.entries()].map(([key, micros]) => ({ key, ms: micros / 1000 / profiles.length })).sort((a, b) => b.ms - a.ms);
process.stdout.write(JSON.stringify(rows));
