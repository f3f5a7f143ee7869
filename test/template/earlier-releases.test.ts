import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { currentSamples, isGenerated, releaseSamples, TEMPLATE_DIR, templateFiles } from '../../src/upgrade/template-samples';
import { earlierReleases } from '../helpers/releases';

const REPO_ROOT = path.join(__dirname, '..', '..');
const VARIABLES = { serviceName: 'orders', packageName: '@org/serverless-service' };
const earlier = earlierReleases().map((release) => release.version);

/**
 * A service as it is after `npx projen` upgraded it from `version`: the files it owns from that
 * release, the samples that release lacked (npx projen writes them), and this template's generated files.
 */
function upgradedService(version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `upgraded-${version}-`));
  const owned = releaseSamples(version, VARIABLES)!;
  const files = new Map([...currentSamples(VARIABLES), ...owned]);
  for (const file of [...templateFiles().filter(isGenerated), 'src/constants.generated.ts']) {
    files.set(file, fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8'));
  }
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  const tsconfig = JSON.parse(fs.readFileSync(path.join(TEMPLATE_DIR, 'tsconfig.json'), 'utf8'));
  tsconfig.compilerOptions.typeRoots = [path.join(REPO_ROOT, 'node_modules', '@types')];
  tsconfig.compilerOptions.paths = { '@org/serverless-service': [path.join(REPO_ROOT, 'src', 'index.ts')] };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

test('every earlier release of this major version is recorded with its samples', () => {
  expect(earlier).toEqual(expect.arrayContaining(['0.1.0', '0.2.0', '0.3.0']));
  for (const version of earlier) expect(releaseSamples(version, VARIABLES)?.size).toBeGreaterThan(10);
});

test.each(earlier)('the files a service owns since %s compile against the generated files of this version', (version) => {
  const dir = upgradedService(version);
  const tsc = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', dir], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
}, 120_000);
