import * as fs from 'fs';
import * as path from 'path';
import { Component, Project, SampleFile } from 'projen';
import { generatedSource } from './generated-source';

/** The files this package copies into services: real, type-checked files of the package. */
export const TEMPLATE_DIR = path.join(__dirname, '..', '..', 'template');

/** Template files that are never copied: they only serve this package's own checks, or are written elsewhere. */
const NOT_COPIED = new Set(['tsconfig.json', 'README.md']);

/**
 * Copies template/ into the service. Files named `*.generated.ts` are generated: they
 * carry projen's marker, are read-only and are rewritten by every `npx projen`, so
 * template improvements reach the service. Every other file is a sample the service
 * owns: written once if absent, never touched again.
 */
export class TemplateFiles extends Component {
  constructor(project: Project) {
    super(project);
    for (const file of listFiles(TEMPLATE_DIR)) {
      if (NOT_COPIED.has(file)) continue;
      const sourcePath = path.join(TEMPLATE_DIR, file);
      if (file.endsWith('.generated.ts')) {
        const content = fs.readFileSync(sourcePath, 'utf8').trimEnd();
        generatedSource(project, file, content.split('\n'));
      } else {
        new SampleFile(project, file, { sourcePath });
      }
    }
  }
}

/** Reads a template file, for files whose content the project completes (such as the README). */
export function readTemplate(file: string): string {
  return fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8');
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`]);
}
