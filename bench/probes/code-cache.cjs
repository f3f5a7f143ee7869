'use strict';
// The V8 code-cache lever, measured but not shipped (README, Performance): loads a CommonJS bundle
// as Node's own loader does (the same wrapper, a require() of its own path) but compiles it with
// vm.Script and a code cache, the only way to hand V8 cached data for one file.
//   codeCacheOf(script, source) -> the cache file's bytes
//   loadWithCodeCache(bundle, cacheFile) -> { exports, script, rejected, reason }
// V8 itself checks only a cache's header (magic number, V8 version, V8 flags, source length): a
// release build of Node does not verify the payload's checksum, and a corrupt payload crashes
// the process (SIGSEGV). So the file carries its own header, checked before V8 sees any of it:
// v8.cachedDataVersionTag() of the node that made it (V8's version and flags), and the CRC-32 of
// the source and of the payload. A cache that fails a check is not handed to V8: the bundle is
// compiled from its source, as without a cache.
const fs = require('fs');
const Module = require('module');
const path = require('path');
const v8 = require('v8');
const vm = require('vm');
const { crc32 } = require('zlib');

const MAGIC = 0x43435353; // "SSCC"
const HEADER_BYTES = 16;

/** The cache file of a script compiled from `source` (after it ran, so the functions it ran are in it too). */
function codeCacheOf(script, source) {
  const payload = script.createCachedData();
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(v8.cachedDataVersionTag(), 4);
  header.writeUInt32LE(crc32(source), 8);
  header.writeUInt32LE(crc32(payload), 12);
  return Buffer.concat([header, payload]);
}

/** The payload of a cache file that fits this node and this source, or why it does not. */
function checkedPayload(file, source) {
  const bytes = fs.readFileSync(file);
  if (bytes.length <= HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC) return { reason: 'not a code cache file' };
  if (bytes.readUInt32LE(4) !== v8.cachedDataVersionTag()) return { reason: 'made by another V8 version or with other V8 flags' };
  if (bytes.readUInt32LE(8) !== crc32(source)) return { reason: 'made for another source' };
  const payload = bytes.subarray(HEADER_BYTES);
  if (bytes.readUInt32LE(12) !== crc32(payload)) return { reason: 'corrupt: its checksum does not match' };
  return { payload };
}

/** Loads `bundle`, with the code cache in `cacheFile` when that file exists and fits. */
function loadWithCodeCache(bundle, cacheFile) {
  const filename = path.resolve(bundle);
  const source = Module.wrap(fs.readFileSync(filename, 'utf8'));
  const checked = cacheFile && fs.existsSync(cacheFile) ? checkedPayload(cacheFile, source) : { reason: 'no cache file' };
  const script = new vm.Script(source, { filename, cachedData: checked.payload });
  const module = new Module(filename, null);
  module.filename = filename;
  module.paths = Module._nodeModulePaths(path.dirname(filename));
  script.runInThisContext()
    .call(module.exports, module.exports, Module.createRequire(filename), module, filename, path.dirname(filename));
  module.loaded = true;
  const rejected = checked.payload === undefined || script.cachedDataRejected === true;
  return { exports: module.exports, script, source, rejected, reason: checked.reason ?? (rejected ? 'rejected by V8' : undefined) };
}

module.exports = { codeCacheOf, loadWithCodeCache };
