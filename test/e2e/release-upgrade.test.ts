import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { earlierReleases, packRelease, Release } from './releases';
import { createService, packedTarball, REPO_ROOT, run, runCapturing } from './service-factory';

// A service created from every earlier release, edited by its team, then upgraded to this
// checkout exactly as CHANGELOG.md's upgrade notes say: the devDependency moved to the new
// version, `npx projen` (twice, from a tarball), `npx projen build`, then `npx projen template:merge`
// and `npx projen build`. Nothing else is done to the service.
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-upgrade-'));
const freshDir = path.join(workDir, 'fresh', 'orders');
const releases = earlierReleases();
const report: string[] = [];

/** A typical edit of a service team: the file, the change, and the text that must survive the upgrade. */
interface TeamEdit {
  readonly file: string;
  readonly added: string;
  readonly edit: (text: string) => string;
}

const ROUTE = "  router.get('/ping', (_req, res) => {\n    res.json({ pong: true });\n  });\n\n";
const ROUTE_TEST = "\ntest('GET /api/v1/ping answers pong', async () => {\n  const res = await request(createApp()).get('/api/v1/ping');\n"
  + '  expect(res.body).toEqual({ pong: true });\n});\n';
const PARAMETER = "    new ssm.StringParameter(stage.serviceStack, 'Release', { stringValue: 'orders-v1' });\n";
const STATUS_LINE = '    expect(res.status).toBe(200);\n';
const CONTENT_TYPE_LINE = "    expect(res.headers.get('content-type')).toMatch(/^application\\/json/);\n";

const TEAM_EDITS: TeamEdit[] = [
  // A route, with its test.
  { file: 'src/routes/v1.ts', added: ROUTE, edit: (t) => t.replace('  return router;', `${ROUTE}  return router;`) },
  { file: 'test/app.test.ts', added: ROUTE_TEST, edit: (t) => t + ROUTE_TEST },
  // A resource in every stage (src/extend.ts exists since 0.2.0).
  {
    file: 'src/extend.ts',
    added: PARAMETER,
    edit: (t) => t.replace("import type { pipelines } from 'aws-cdk-lib';\n", "import type { pipelines } from 'aws-cdk-lib';\nimport * as ssm from 'aws-cdk-lib/aws-ssm';\n")
      .replace('extendStage(_stage: ServiceStage): void {},', `extendStage(stage: ServiceStage): void {\n${PARAMETER}  },`),
  },
  // A line in an owned test.
  { file: 'test/acceptance/health.acceptance.ts', added: CONTENT_TYPE_LINE, edit: (t) => t.replace(STATUS_LINE, STATUS_LINE + CONTENT_TYPE_LINE) },
];

/** Makes the edit where the release has the file; false where it has not. */
function applyEdit(dir: string, edit: TeamEdit): boolean {
  const file = path.join(dir, edit.file);
  if (!fs.existsSync(file)) return false;
  const text = fs.readFileSync(file, 'utf8');
  const edited = edit.edit(text);
  if (edited === text || !edited.includes(edit.added)) throw new Error(`${edit.file} no longer holds what its edit changes: update TEAM_EDITS.`);
  fs.writeFileSync(file, edited);
  return true;
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const generatedFiles = (dir: string): string[] => JSON.parse(fs.readFileSync(path.join(dir, '.projen', 'files.json'), 'utf8')).files;

beforeAll(() => {
  createService(freshDir, packedTarball(), { build: true });
}, 20 * 60_000);

afterAll(() => {
  process.stdout.write(`\nUpgrades from every earlier release to this checkout\n${report.join('\n')}\n`);
  if (!process.env.E2E_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
});

describe.each(releases.map((r): [string, Release] => [r.version, r]))('a service created from release %s', (version, release) => {
  const dir = path.join(workDir, version, 'orders');
  const edits: TeamEdit[] = [];
  const before: Record<string, string> = {};
  let merge = '';

  beforeAll(() => {
    const tarball = packRelease(release);
    createService(dir, tarball);
    edits.push(...TEAM_EDITS.filter((edit) => applyEdit(dir, edit)));
    for (const edit of edits) before[edit.file] = sha(path.join(dir, edit.file));
    const generatedBefore = Object.fromEntries(generatedFiles(dir).map((f) => [f, sha(path.join(dir, f))]));

    // The documented upgrade from a tarball: the devDependency moved to the new version, then projen twice.
    const projenrc = path.join(dir, '.projenrc.ts');
    fs.writeFileSync(projenrc, fs.readFileSync(projenrc, 'utf8').replace(tarball, packedTarball()));
    run('npx', ['projen'], dir);
    run('npx', ['projen'], dir);
    const firstBuild = run('npx', ['projen', 'build'], dir);
    merge = runCapturing('npx', ['projen', 'template:merge'], dir).output;
    const secondBuild = run('npx', ['projen', 'build'], dir);

    const changed = generatedFiles(dir).filter((f) => generatedBefore[f] !== undefined && generatedBefore[f] !== sha(path.join(dir, f)));
    const added = generatedFiles(dir).filter((f) => generatedBefore[f] === undefined);
    const outcomes = (kind: string) => merge.split('\n').filter((l) => l.trim().startsWith(`${kind} `)).map((l) => l.trim().split(/\s+/)[1]);
    report.push(`  ${version}: generated files ${changed.length} changed, ${added.length} new; template:merge updated ${outcomes('updated').length} `
      + `(${outcomes('updated').join(', ')}), merged ${outcomes('merged').length} (${outcomes('merged').join(', ')}), `
      + `conflicted ${outcomes('conflicted').length}, removed from the template ${outcomes('removed-from-template').length}; `
      + `build green before the merge (${firstBuild.toFixed(0)} s) and after it (${secondBuild.toFixed(0)} s)`);
  }, 30 * 60_000);

  test('npx projen wrote the samples the release lacked, and records where each owned file came from', () => {
    const record = JSON.parse(fs.readFileSync(path.join(dir, '.projen', 'template-samples.json'), 'utf8')).files;
    expect(fs.existsSync(path.join(dir, 'src', 'extend.ts'))).toBe(true);
    expect(record['src/extend.ts']).toBeDefined();
    expect(record['src/app.ts']).toBe(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', '@org', 'serverless-service', 'package.json'), 'utf8')).version);
  });

  test('template:merge leaves no conflict and says what it did', () => {
    expect(merge).toMatch(/^Merged the @org\/serverless-service \S+ template into the files this service owns/m);
    expect(merge).not.toMatch(/^\s+conflicted /m);
    // The app the team never touched received the new composition.
    expect(fs.readFileSync(path.join(dir, 'src', 'app.ts'), 'utf8')).toContain("import { serviceApp } from './service-app.generated';");
  });

  test("the team's edits are all there, and files the template did not change are byte-identical", () => {
    expect(edits.length).toBeGreaterThanOrEqual(3);
    for (const edit of edits) {
      expect([edit.file, fs.readFileSync(path.join(dir, edit.file), 'utf8').includes(edit.added)]).toEqual([edit.file, true]);
    }
    // Where the template's sample is the same now as in the release, template:merge has nothing to bring: the file
    // is byte for byte the team's. (Since 0.1.0 every sample the edits touch has changed, and was merged.)
    const samples: Record<string, string> = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'releases', 'samples', `${version}.json`), 'utf8'));
    const unchanged = edits.map((e) => e.file).filter((f) => samples[f] === fs.readFileSync(path.join(REPO_ROOT, 'template', f), 'utf8'));
    for (const file of unchanged) expect([file, sha(path.join(dir, file))]).toEqual([file, before[file]]);
    const junit = fs.readFileSync(path.join(dir, 'test-reports', 'junit.xml'), 'utf8');
    expect(junit).toContain('GET /api/v1/ping answers pong');
    expect(junit).toMatch(/failures="0"/);
  });

  test("its generated files are a fresh service's", () => {
    const files = generatedFiles(dir).filter((f) => f !== 'src/service-settings.generated.json');
    expect(files.sort()).toEqual(generatedFiles(freshDir).filter((f) => f !== 'src/service-settings.generated.json').sort());
    const normalize = (text: string) => text.replace(/file:[^"'\s]*\.tgz/g, 'file:<tarball>');
    for (const file of files.filter((f) => f.endsWith('.ts') || f.endsWith('.yml'))) {
      expect([file, normalize(fs.readFileSync(path.join(dir, file), 'utf8'))])
        .toEqual([file, normalize(fs.readFileSync(path.join(freshDir, file), 'utf8'))]);
    }
  });

  test("its bundled handler behaves as a fresh service's: security headers, request ids, JSON errors, non-HTTP events refused", async () => {
    const upgraded = await probeBundle(dir);
    const fresh = await probeBundle(freshDir);
    expect(upgraded).toEqual(fresh);
    expect(fresh.notFound).toMatchObject({ status: 404, requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33', securityHeaders: true });
    expect(fresh.sqs).toMatch(/^Unsupported event/);
  });
});

describe('repairing the newest upgraded service', () => {
  const dir = () => path.join(workDir, releases[releases.length - 1].version, 'orders');

  test('a deleted generated file comes back with npx projen', () => {
    fs.rmSync(path.join(dir(), 'src', 'handler.generated.ts'));
    run('npx', ['projen'], dir());
    expect(fs.readFileSync(path.join(dir(), 'src', 'handler.generated.ts'), 'utf8'))
      .toBe(fs.readFileSync(path.join(freshDir, 'src', 'handler.generated.ts'), 'utf8'));
  }, 5 * 60_000);

  test('a hand edit to a generated file is overwritten by npx projen', () => {
    const buildspec = path.join(dir(), 'buildspec.yml');
    fs.chmodSync(buildspec, 0o644);
    fs.writeFileSync(buildspec, 'version: 0.2\n# a hand edit\n');
    run('npx', ['projen'], dir());
    expect(fs.readFileSync(buildspec, 'utf8')).toBe(fs.readFileSync(path.join(freshDir, 'buildspec.yml'), 'utf8'));
  }, 5 * 60_000);
});

/** What the bundled handler of a service answers to a few real events, reduced to the template's behaviours. */
async function probeBundle(dir: string) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle of another service, found at run time
  const { handler } = require(path.join(dir, 'assets', 'handler.generated', 'index.js'));
  const event = (name: string) => JSON.parse(fs.readFileSync(path.join(freshDir, 'test', 'events', name), 'utf8'));
  const context = { awsRequestId: 'release-upgrade', getRemainingTimeInMillis: () => 10_000 };
  const rest = (p: string) => ({
    ...event('apigw-request.json'),
    httpMethod: 'GET',
    path: p,
    pathParameters: { proxy: p.slice(1) },
    body: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
  });
  const summary = (res: any) => {
    const headers = { ...res.headers, ...Object.fromEntries(Object.entries(res.multiValueHeaders ?? {}).map(([k, v]: [string, any]) => [k, v.join(',')])) };
    const body = JSON.parse(res.body);
    return {
      status: res.statusCode,
      requestId: headers['x-request-id'],
      errorRequestId: body.error?.requestId,
      securityHeaders: headers['content-security-policy'] === "default-src 'none';frame-ancestors 'none'" && headers['x-content-type-options'] === 'nosniff',
      body: body.error ? { status: body.error.status, message: body.error.message } : body,
    };
  };
  const notFound = summary(await handler(rest('/api/v1/no-such-route'), context));
  const health = summary(await handler(rest('/api/v1/health'), context));
  const sqs = await handler(event('sqs-receive-message.json'), context).then(() => 'answered', (e: Error) => e.message.split(':')[0]);
  return { notFound: { ...notFound, requestId: notFound.errorRequestId === notFound.requestId ? notFound.requestId : 'mismatch' }, health, sqs };
}
