// Records a release of this package: `npx projen release:record` (the version in package.json, at
// HEAD), or `npx projen release:record -- VERSION COMMIT` for an earlier one. It adds the version to
// releases/releases.json, keeps that release's owned samples in releases/samples/VERSION.json (the
// bases `template:merge` needs in services created from it) and tags the commit vVERSION.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isOwnedSample } from '../src/upgrade/template-samples';
import { compareVersions } from '../src/upgrade/versions';

const ROOT = path.join(__dirname, '..');
const RECORD = path.join(ROOT, 'releases', 'releases.json');
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

const [version, commitArg] = process.argv.slice(2);
const releaseVersion = version ?? JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const commit = git('rev-parse', `${commitArg ?? 'HEAD'}^{commit}`).trim();
const versionAtCommit = JSON.parse(git('show', `${commit}:package.json`)).version;
if (versionAtCommit !== releaseVersion) {
  throw new Error(`${commit} carries version ${versionAtCommit}, not ${releaseVersion}.`);
}

// The samples every release has written are the template files it does not generate (nor use only here).
const samples = git('ls-tree', '-r', '--name-only', commit, 'template/').split('\n')
  .map((file) => file.replace(/^template\//, ''))
  .filter((file) => file !== '' && isOwnedSample(file));
const contents = Object.fromEntries(samples.map((file) => [file, git('show', `${commit}:template/${file}`)]));
fs.mkdirSync(path.join(ROOT, 'releases', 'samples'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'releases', 'samples', `${releaseVersion}.json`), `${JSON.stringify(contents, null, 2)}\n`);

const record: Record<string, string> = JSON.parse(fs.readFileSync(RECORD, 'utf8'));
const { '//': comment, ...releases } = { ...record, [releaseVersion]: commit };
const sorted = Object.fromEntries(Object.keys(releases).sort(compareVersions).map((v) => [v, releases[v]]));
fs.writeFileSync(RECORD, `${JSON.stringify({ '//': comment, ...sorted }, null, 2)}\n`);

if (!git('tag', '--list', `v${releaseVersion}`).trim()) git('tag', '-a', `v${releaseVersion}`, commit, '-m', releaseVersion);
console.log(`Recorded ${releaseVersion} at ${commit}: ${samples.length} samples in releases/samples/${releaseVersion}.json; commit both files.`);
