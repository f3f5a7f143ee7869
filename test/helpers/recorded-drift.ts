import * as fs from 'fs';
import * as path from 'path';

/** One of AWS's documented drift results, as JSON (see test/fixtures/drift/README.md). */
export function recordedDrift(file: string): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'drift', file), 'utf8'));
}
