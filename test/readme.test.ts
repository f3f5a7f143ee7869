import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/** The README's TypeScript examples: every ```ts block is a whole file that must compile. */
function examples(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

test('the README has TypeScript examples', () => {
  expect(examples().length).toBeGreaterThanOrEqual(3);
});

test('every TypeScript example in the README compiles against this package', () => {
  // Inside the checkout, so that the examples resolve aws-cdk-lib and projen from its node_modules.
  const dir = path.join(ROOT, '.readme-check');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  examples().forEach((code, i) => fs.writeFileSync(path.join(dir, `example-${i + 1}.ts`), code));
  // The template's compiler options, which map this package's name to its source.
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    extends: '../template/tsconfig.json',
    compilerOptions: { noUnusedLocals: false, noUnusedParameters: false },
    include: ['*.ts'],
  }));

  const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', dir], { encoding: 'utf8' });

  expect(`${result.stdout}${result.stderr}`).toBe('');
  expect(result.status).toBe(0);
}, 120_000);
