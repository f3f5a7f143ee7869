import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NEXT_VERSION_CHANGES, packNextVersion } from './next-version';
import { createService, packedTarball, run } from './service-factory';

// Version N (this checkout, packed) and N+1 (N with template changes), a service created
// from N and edited by its team, then upgraded to N+1 with the documented commands.
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-'));
const serviceDir = path.join(workDir, 'service', 'orders');
const freshDir = path.join(workDir, 'fresh', 'orders');
const tarballN = packedTarball();
let tarballN1: string;

/** The service team's edits to files it owns: real changes that keep the build green. */
const OWNED_EDITS: Array<[string, (text: string) => string]> = [
  ['src/routes/v1.ts', (t) => t.replace('  return router;', '  router.get(\'/ping\', (_req, res) => {\n    res.json({ pong: true });\n  });\n\n  return router;')],
  ['test/app.test.ts', (t) => `${t}\ntest('GET /api/v1/ping answers pong', async () => {\n  const res = await request(createApp()).get('/api/v1/ping');\n  expect(res.body).toEqual({ pong: true });\n});\n`],
  ['src/extend.ts', (t) => `// The orders team's additions.\n${t}`],
  ['src/middleware/errors.ts', (t) => `// Errors as the orders team answers them.\n${t}`],
  ['test/acceptance/health.acceptance.ts', (t) => `// Run by the pipeline after every deploy.\n${t}`],
  ['README.md', (t) => `${t}\nOwned by the orders team.\n`],
];
/** An owned file the service wrote before N+1 shipped a sample at the same path. */
const OWN_ONCALL = '# On call\n\nThe orders team, 24/7.\n';

const generatedFiles = (dir: string): string[] => JSON.parse(fs.readFileSync(path.join(dir, '.projen', 'files.json'), 'utf8')).files.sort();
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
// The only expected difference between two services: where each found its package tarball.
const normalize = (text: string) => text.replace(/file:[^"'\s]*\.tgz/g, 'file:<tarball>');

/** Every file the service owns: everything under src/ and test/ that projen did not generate, and the docs. */
function ownedFiles(dir: string): string[] {
  const generated = new Set(generatedFiles(dir));
  const walk = (rel: string): string[] => fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(rel, e.name)) : [path.join(rel, e.name)]));
  return [...walk('src'), ...walk('test'), 'README.md', 'docs/ONCALL.md'].filter((f) => !generated.has(f)).sort();
}

const before: Record<string, string> = {};
const owned: Record<string, string> = {};
let report = '';

beforeAll(() => {
  tarballN1 = packNextVersion(tarballN, workDir);
  createService(serviceDir, tarballN);
  for (const file of generatedFiles(serviceDir)) before[file] = sha(path.join(serviceDir, file));

  for (const [file, edit] of OWNED_EDITS) fs.writeFileSync(path.join(serviceDir, file), edit(read(serviceDir, file)));
  fs.mkdirSync(path.join(serviceDir, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(serviceDir, 'docs', 'ONCALL.md'), OWN_ONCALL);
  for (const file of ownedFiles(serviceDir)) owned[file] = sha(path.join(serviceDir, file));

  // The upgrade from a tarball, as the README documents it: point .projenrc.ts at the new
  // tarball, then run projen twice (the first run still synthesizes with the installed N).
  const projenrc = path.join(serviceDir, '.projenrc.ts');
  fs.writeFileSync(projenrc, read(serviceDir, '.projenrc.ts').replace(tarballN, tarballN1));
  run('npx', ['projen'], serviceDir);
  run('npx', ['projen'], serviceDir);
  run('npx', ['projen', 'build'], serviceDir);

  createService(freshDir, tarballN1);
}, 30 * 60_000);

afterAll(() => {
  process.stdout.write(`\nUpgrade ${path.basename(tarballN)} -> ${path.basename(tarballN1 ?? '(not packed)')}\n${report}`);
  if (!process.env.E2E_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
});

describe(`upgrading a service with ${NEXT_VERSION_CHANGES.length} template changes (${[...new Set(NEXT_VERSION_CHANGES.map((c) => c.kind))].join(', ')})`, () => {
  test('every generated file matches a service created from N+1', () => {
    const files = generatedFiles(serviceDir);
    expect(files).toEqual(generatedFiles(freshDir));
    for (const file of files) {
      expect([file, normalize(read(serviceDir, file))]).toEqual([file, normalize(read(freshDir, file))]);
    }
    const changed = files.filter((f) => before[f] !== sha(path.join(serviceDir, f)));
    report += `  generated files: ${files.length}, changed by the upgrade: ${changed.length} (${changed.join(', ')})\n`;
    expect(changed).toEqual(expect.arrayContaining(['buildspec.yml', '.projen/tasks.json', 'src/main.generated.ts']));
  });

  test('every owned file is byte-identical to the service\'s edited version', () => {
    const files = Object.keys(owned);
    expect(files.length).toBeGreaterThanOrEqual(OWNED_EDITS.length + 1);
    const identical = files.filter((f) => sha(path.join(serviceDir, f)) === owned[f]);
    report += `  owned files: ${files.length}, edited by the team: ${OWNED_EDITS.length + 1}, byte-identical after the upgrade: ${identical.length}\n`;
    expect(identical).toEqual(files);
  });

  test('a sample file new in N+1 appears only where absent', () => {
    expect(read(serviceDir, 'docs/RUNBOOK.md')).toBe('# Runbook\n\nNew in N+1.\n');
    expect(read(serviceDir, 'docs/ONCALL.md')).toBe(OWN_ONCALL);
  });

  test('the new task, the changed buildspec step and the changed pipeline setting are in the service', () => {
    expect(JSON.parse(read(serviceDir, '.projen/tasks.json')).tasks.doctor).toBeDefined();
    expect(read(serviceDir, 'buildspec.yml')).toMatch(/- npx projen build\n\s+- npx projen doctor/);
    const staging = path.join(serviceDir, 'cdk.out', 'assembly-orders-pipeline-staging');
    const template = read(staging, fs.readdirSync(staging).find((f) => f.endsWith('.template.json'))!);
    expect(template).toContain('CodeDeployDefault.LambdaCanary10Percent10Minutes');
  });

  test('the template version is visible in the service', () => {
    const versionN1 = path.basename(tarballN1).match(/(\d+\.\d+\.\d+)\.tgz$/)![1];
    expect(read(serviceDir, 'src/main.generated.ts')).toContain(`// Template: @org/serverless-service ${versionN1}.`);
  });

  test('the service\'s own route survived and its build is green (the build above ran its tests)', () => {
    const junit = read(serviceDir, 'test-reports/junit.xml');
    expect(junit).toContain('GET /api/v1/ping answers pong');
    expect(junit).toMatch(/failures="0"/);
  });
});

describe('repair', () => {
  test('a deleted generated file comes back with npx projen', () => {
    fs.rmSync(path.join(serviceDir, 'src', 'handler.generated.ts'));
    run('npx', ['projen'], serviceDir);
    expect(read(serviceDir, 'src/handler.generated.ts')).toBe(read(freshDir, 'src/handler.generated.ts'));
  }, 5 * 60_000);

  test('a hand edit to a generated file is overwritten by npx projen', () => {
    const buildspec = path.join(serviceDir, 'buildspec.yml');
    fs.chmodSync(buildspec, 0o644);
    fs.writeFileSync(buildspec, 'version: 0.2\n# a hand edit\n');
    run('npx', ['projen'], serviceDir);
    expect(read(serviceDir, 'buildspec.yml')).toBe(read(freshDir, 'buildspec.yml'));
  }, 5 * 60_000);
});
