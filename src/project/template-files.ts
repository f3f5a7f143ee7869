import * as fs from 'fs';
import * as path from 'path';
import { Component, Project } from 'projen';
import { generatedSource } from './generated-source';
import { isGenerated, TEMPLATE_DIR, templateFiles } from '../upgrade/template-samples';

/**
 * Copies the template's generated files into the service (`*.generated.*`): they carry
 * projen's marker, are read-only and are rewritten by every `npx projen`, so template
 * improvements reach the service. The samples the service owns are `OwnedSamples`.
 */
export class TemplateFiles extends Component {
  constructor(project: Project) {
    super(project);
    for (const file of templateFiles().filter(isGenerated)) {
      const content = fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8').trimEnd();
      generatedSource(project, file, content.split('\n'));
    }
  }
}
