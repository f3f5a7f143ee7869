import { Project, TextFile } from 'projen';

/**
 * A generated TypeScript file: projen's marker on top, read-only, rewritten by every
 * `npx projen` (and restored if deleted).
 */
export function generatedSource(project: Project, filePath: string, lines: string[]): TextFile {
  const file = new TextFile(project, filePath);
  if (file.marker) {
    file.addLine(`// ${file.marker}`);
  }
  lines.forEach((line) => file.addLine(line));
  return file;
}
