import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isOwnedSample } from '../src/upgrade/template-samples';

// The release record is what the upgrade tests start from and what template:merge takes its bases
// from in services: it must say what the repository's history says.
const ROOT = path.join(__dirname, '..');
const gitOutput = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const git = (...args: string[]) => gitOutput(...args).trim();
const { '//': _comment, ...releases }: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'releases', 'releases.json'), 'utf8'));
const versionAt = (commit: string) => JSON.parse(git('show', `${commit}:package.json`)).version;

test('records every release so far', () => {
  expect(Object.keys(releases)).toEqual(expect.arrayContaining(['0.1.0', '0.2.0', '0.3.0']));
});

describe.each(Object.entries(releases))('release %s', (version, commit) => {
  test('is the last commit of that version on the main line, but for the commits that record it', () => {
    expect(versionAt(commit)).toBe(version);
    const later = git('rev-list', '--first-parent', '--reverse', `${commit}..HEAD`).split('\n').filter((c) => c !== '');
    for (const next of later) {
      if (versionAt(next) !== version) break;
      const changed = git('diff-tree', '--no-commit-id', '--name-only', '-r', next).split('\n').filter((f) => f !== '');
      expect([next, changed.filter((file) => !file.startsWith('releases/'))]).toEqual([next, []]);
    }
  });

  test('keeps exactly the samples that release wrote, byte for byte', () => {
    const samples: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'releases', 'samples', `${version}.json`), 'utf8'));
    const expected = git('ls-tree', '-r', '--name-only', commit, 'template/').split('\n')
      .map((file) => file.replace(/^template\//, '')).filter((file) => file !== '' && isOwnedSample(file));
    expect(Object.keys(samples).sort()).toEqual(expected.sort());
    for (const file of expected) expect([file, samples[file]]).toEqual([file, gitOutput('show', `${commit}:template/${file}`)]);
  });
});
