import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { templateMerge, TemplateMergeOptions } from '../../src/upgrade/template-merge';
import { mergeText, unifiedDiff } from '../../src/upgrade/three-way-merge';

const V1 = '1.0.0';
const V2 = '1.1.0';
const APP = 'src/app.ts';

const lines = (...text: string[]) => text.map((line) => `${line}\n`).join('');

// The sample as 1.0.0 wrote it, and 1.1.0's improvement of its body limit.
const APP_V1 = lines(
  "import express from 'express';",
  '',
  'export const app = express();',
  'app.use(express.json());',
  '',
  '// Routes',
  "app.get('/health', (_req, res) => res.send('ok'));",
  '',
  'export default app;',
);
const APP_V2 = APP_V1.replace('express.json()', "express.json({ limit: '1mb' })");

let serviceDir: string;
beforeEach(() => { serviceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-')); });
afterEach(() => fs.rmSync(serviceDir, { recursive: true, force: true }));

function writeService(files: { [file: string]: string }): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(serviceDir, file)), { recursive: true });
    fs.writeFileSync(path.join(serviceDir, file), text);
  }
}

const read = (file: string) => fs.readFileSync(path.join(serviceDir, file), 'utf8');
const exists = (file: string) => fs.existsSync(path.join(serviceDir, file));

/** Every file of the service with its bytes, so that any write, creation or deletion shows. */
function snapshot(dir = serviceDir): { [file: string]: string } {
  return Object.fromEntries(fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .map((entry) => path.join(entry.parentPath, entry.name))
    .map((file) => [path.relative(dir, file), fs.statSync(file).isDirectory() ? '<dir>' : fs.readFileSync(file).toString('base64')]));
}

/** A merge to 1.1.0 of a service whose samples 1.0.0 and 1.1.0 are the given ones. */
function merge(versions: { [version: string]: { [file: string]: string } }, record: { [file: string]: string },
  extra: Partial<TemplateMergeOptions> = {}) {
  return templateMerge({
    serviceDir,
    currentVersion: V2,
    record: { files: record },
    samplesOf: (version) => versions[version] ? new Map(Object.entries(versions[version])) : undefined,
    ...extra,
  });
}

describe('templateMerge', () => {
  test('GIVEN a sample the team never touched WHEN the template improves it THEN the file receives the improvement', () => {
    writeService({ [APP]: APP_V1 });

    const report = merge({ [V1]: { [APP]: APP_V1 }, [V2]: { [APP]: APP_V2 } }, { [APP]: V1 });

    expect(read(APP)).toBe(APP_V2);
    expect(report.files).toEqual([{ path: APP, outcome: 'updated', fromVersion: V1 }]);
    expect(report.record).toEqual({ files: { [APP]: V2 } });
  });

  test('GIVEN a sample the team changed elsewhere WHEN merged THEN the file holds both changes', () => {
    writeService({ [APP]: APP_V1.replace('// Routes\n', "// Routes\napp.get('/orders', listOrders);\n") });

    const report = merge({ [V1]: { [APP]: APP_V1 }, [V2]: { [APP]: APP_V2 } }, { [APP]: V1 });

    expect(read(APP)).toBe(lines(
      "import express from 'express';",
      '',
      'export const app = express();',
      "app.use(express.json({ limit: '1mb' }));",
      '',
      '// Routes',
      "app.get('/orders', listOrders);",
      "app.get('/health', (_req, res) => res.send('ok'));",
      '',
      'export default app;',
    ));
    expect(report.files).toEqual([{ path: APP, outcome: 'merged', fromVersion: V1 }]);
    expect(report.record).toEqual({ files: { [APP]: V2 } });
  });

  test('GIVEN a sample the team changed on the lines the template changed WHEN merged THEN standard conflict markers hold both sides', () => {
    writeService({ [APP]: APP_V1.replace('express.json()', "express.json({ limit: '5mb' })") });

    const report = merge({ [V1]: { [APP]: APP_V1 }, [V2]: { [APP]: APP_V2 } }, { [APP]: V1 });

    expect(read(APP)).toBe(lines(
      "import express from 'express';",
      '',
      'export const app = express();',
      `<<<<<<< yours (${APP})`,
      "app.use(express.json({ limit: '5mb' }));",
      '=======',
      "app.use(express.json({ limit: '1mb' }));",
      `>>>>>>> template ${V2}`,
      '',
      '// Routes',
      "app.get('/health', (_req, res) => res.send('ok'));",
      '',
      'export default app;',
    ));
    expect(report.files).toEqual([{ path: APP, outcome: 'conflicted', fromVersion: V1 }]);
    // The markers hold 1.1.0's side: merging again must not offer the same change twice.
    expect(report.record).toEqual({ files: { [APP]: V2 } });
  });

  describe('GIVEN a service with a file for every outcome', () => {
    const versions = {
      [V1]: { 'a-updated.ts': APP_V1, 'b-merged.ts': APP_V1, 'c-conflicted.ts': APP_V1, 'd-deleted.ts': APP_V1, 'f-removed.ts': APP_V1 },
      [V2]: { 'a-updated.ts': APP_V2, 'b-merged.ts': APP_V2, 'c-conflicted.ts': APP_V2, 'd-deleted.ts': APP_V2, 'e/added.ts': APP_V2 },
    };
    const record = { 'a-updated.ts': V1, 'b-merged.ts': V1, 'c-conflicted.ts': V1, 'd-deleted.ts': V1, 'f-removed.ts': V1 };
    beforeEach(() => writeService({
      'a-updated.ts': APP_V1,
      'b-merged.ts': APP_V1.replace('export default app;', 'export default app; // served by Lambda'),
      'c-conflicted.ts': APP_V1.replace('express.json()', 'express.text()'),
      'f-removed.ts': 'still used\n',
    }));

    test('WHEN merged as a dry run THEN nothing changes on disk and the report is what a real run does', () => {
      const before = snapshot();

      const dryRun = merge(versions, record, { dryRun: true });

      expect(snapshot()).toEqual(before);
      expect(dryRun.files).toEqual([
        { path: 'a-updated.ts', outcome: 'updated', fromVersion: V1 },
        { path: 'b-merged.ts', outcome: 'merged', fromVersion: V1 },
        { path: 'c-conflicted.ts', outcome: 'conflicted', fromVersion: V1 },
        { path: 'd-deleted.ts', outcome: 'kept-deleted', fromVersion: V1 },
        { path: 'e/added.ts', outcome: 'added' },
        { path: 'f-removed.ts', outcome: 'removed-from-template', fromVersion: V1 },
      ]);
      expect(dryRun.diff).toContain('diff --git a/a-updated.ts b/a-updated.ts\n');
      expect(dryRun.diff).toContain("--- a/b-merged.ts\n+++ b/b-merged.ts\n@@ -1,7 +1,7 @@\n import express from 'express';\n \n export const app = express();\n-app.use(express.json());\n+app.use(express.json({ limit: '1mb' }));\n");
      expect(dryRun.diff).toContain('--- /dev/null\n+++ b/e/added.ts\n');
      expect(dryRun.diff).not.toContain('d-deleted.ts');
      expect(dryRun.diff).not.toContain(os.tmpdir());

      expect(merge(versions, record)).toEqual(dryRun);
      expect(snapshot()).not.toEqual(before);
    });

    test('WHEN merged THEN files the team deleted or no longer from the template are left alone', () => {
      const report = merge(versions, record);

      expect(exists('d-deleted.ts')).toBe(false);
      expect(read('f-removed.ts')).toBe('still used\n');
      expect(read('e/added.ts')).toBe(APP_V2);
      expect(report.record.files).toEqual({
        'a-updated.ts': V2, 'b-merged.ts': V2, 'c-conflicted.ts': V2, 'd-deleted.ts': V2, 'e/added.ts': V2,
      });
    });
  });

  test('GIVEN a file the team wrote at a path the template now uses THEN it is not-from-template, untouched and not recorded', () => {
    writeService({ [APP]: 'our own app\n' });

    const report = merge({ [V2]: { [APP]: APP_V2 } }, {});

    expect(read(APP)).toBe('our own app\n');
    expect(report.files).toEqual([{ path: APP, outcome: 'not-from-template' }]);
    expect(report.record).toEqual({ files: {} });
    expect(report.diff).toBe('');
  });

  test('GIVEN a recorded version whose samples are unknown THEN the file is no-base, untouched, and keeps its record', () => {
    writeService({ [APP]: APP_V1 });

    const report = merge({ [V2]: { [APP]: APP_V2 } }, { [APP]: '0.9.0' });

    expect(read(APP)).toBe(APP_V1);
    expect(report.files).toEqual([{ path: APP, outcome: 'no-base', fromVersion: '0.9.0' }]);
    expect(report.record).toEqual({ files: { [APP]: '0.9.0' } });
  });

  test('GIVEN team edits and no template change since the recorded version THEN the file is up-to-date and untouched', () => {
    const ours = APP_V1.replace('export default app;', 'export default app; // ours');
    writeService({ 'same-version.ts': ours, 'same-sample.ts': ours });

    const report = merge({ [V1]: { 'same-sample.ts': APP_V2 }, [V2]: { 'same-version.ts': APP_V2, 'same-sample.ts': APP_V2 } },
      { 'same-version.ts': V2, 'same-sample.ts': V1 });

    expect(snapshot()).toEqual({ 'same-version.ts': Buffer.from(ours).toString('base64'), 'same-sample.ts': Buffer.from(ours).toString('base64') });
    expect(report.files).toEqual([
      { path: 'same-sample.ts', outcome: 'up-to-date', fromVersion: V1 },
      { path: 'same-version.ts', outcome: 'up-to-date', fromVersion: V2 },
    ]);
    expect(report.record).toEqual({ files: { 'same-sample.ts': V2, 'same-version.ts': V2 } });
  });

  test('refuses a sample path outside the service, before writing anything', () => {
    const outside = path.join(path.dirname(serviceDir), 'outside.ts');
    expect(() => merge({ [V2]: { [APP]: APP_V2, '../outside.ts': 'x\n' } }, {}))
      .toThrow('Refusing sample path "../outside.ts": sample paths must be relative to the service folder, without "..".');
    expect(() => merge({ [V2]: { [APP]: APP_V2 } }, { [outside]: V1 })).toThrow(`Refusing sample path "${outside}"`);
    expect(fs.existsSync(outside)).toBe(false);
    expect(exists(APP)).toBe(false);
  });

  test('refuses to merge when the installed version\'s samples are unknown', () => {
    expect(() => merge({}, {})).toThrow(`The samples of template version ${V2}, the one installed, are unknown`);
  });
});

describe('mergeText', () => {
  const labels = { ours: 'yours (x)', base: 'template 1', theirs: 'template 2' };

  test('counts each conflicting hunk', () => {
    // git joins conflicts that are only a few lines apart, so these are five lines apart.
    const outcome = mergeText(lines('A', '2', '3', '4', '5', '6', 'G'), lines('1', '2', '3', '4', '5', '6', '7'),
      lines('a', '2', '3', '4', '5', '6', 'g'), labels);

    expect(outcome.conflicts).toBe(2);
    expect(outcome.text).toBe(lines(
      '<<<<<<< yours (x)', 'A', '=======', 'a', '>>>>>>> template 2',
      '2', '3', '4', '5', '6',
      '<<<<<<< yours (x)', 'G', '=======', 'g', '>>>>>>> template 2',
    ));
  });

  test('keeps a text without a trailing newline as it is', () => {
    expect(mergeText('one\ntwo\nTHREE', 'one\ntwo\nthree', 'ONE\ntwo\nthree', labels)).toEqual({ text: 'ONE\ntwo\nTHREE', conflicts: 0 });
  });

  test('says that git is needed when it is not on the PATH', () => {
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-git-'));
    const pathBefore = process.env.PATH;
    process.env.PATH = emptyDir;
    try {
      expect(() => mergeText('a\n', 'b\n', 'c\n', labels)).toThrow('Could not run "git merge-file": git was not found. template:merge needs git on the PATH.');
    } finally {
      process.env.PATH = pathBefore;
      fs.rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});

describe('unifiedDiff', () => {
  test('names the file in the headers, and shows a missing side as /dev/null', () => {
    expect(unifiedDiff('src/x.ts', 'a\n', 'b\n')).toMatch(/^diff --git a\/src\/x.ts b\/src\/x.ts\nindex \w+\.\.\w+ 100644\n--- a\/src\/x.ts\n\+\+\+ b\/src\/x.ts\n@@ -1 \+1 @@\n-a\n\+b\n$/);
    expect(unifiedDiff('src/x.ts', undefined, 'b\n')).toContain('--- /dev/null\n+++ b/src/x.ts\n@@ -0,0 +1 @@\n+b\n');
    expect(unifiedDiff('src/x.ts', 'a\n', undefined)).toContain('--- a/src/x.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n');
  });

  test('leaves lines of the file that look like headers as they are', () => {
    expect(unifiedDiff('x.md', '-- a/before\n', 'text\n')).toContain('@@ -1 +1 @@\n--- a/before\n+text\n');
  });

  test('is empty when nothing changed', () => {
    expect(unifiedDiff('x.ts', 'same\n', 'same\n')).toBe('');
  });
});
