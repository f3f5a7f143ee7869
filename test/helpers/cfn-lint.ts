import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Every template in a cloud assembly, nested stage assemblies included. */
export function findTemplates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTemplates(full);
    return entry.name.endsWith('.template.json') ? [full] : [];
  });
}

/** The error findings (E....) cfn-lint reports on the templates; warnings and informational findings pass. */
export function cfnLintErrors(templates: string[]): string[] {
  let output: string;
  try {
    output = execFileSync('cfn-lint', ['--format', 'parseable', '--', ...templates], { encoding: 'utf8' });
  } catch (error: any) {
    // cfn-lint exits non-zero whenever it finds anything, warnings included.
    output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    if (!output.trim()) throw error;
  }
  return output.split('\n').filter((line) => /:E\d{4}:/.test(line));
}
