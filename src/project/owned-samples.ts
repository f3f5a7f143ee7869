import * as fs from 'fs';
import * as path from 'path';
import { Component, Project } from 'projen';
import { PACKAGE_VERSION } from '../package-info';
import { previousTemplateVersion, readRecord, SampleRecord, writeRecord } from '../upgrade/sample-record';
import { releaseSamples, SampleVariables } from '../upgrade/template-samples';

/** projen writes the README itself (a SampleReadme, with this template's content): it is recorded here, not written. */
const README = 'README.md';

/**
 * The files a service owns: written from the template's samples once, when the service has
 * never received them, and never again (a sample the team deleted stays deleted). Which
 * template version each was written from is recorded in the service, as the base of later
 * `npx projen template:merge` runs.
 */
export class OwnedSamples extends Component {
  private readonly existing?: SampleRecord;
  private readonly record: Record<string, string>;

  /** `samples`: the installed template's, rendered for this service (`currentSamples`). */
  constructor(project: Project, private readonly samples: Map<string, string>, variables: SampleVariables) {
    super(project);
    // Read before anything is written: the generated CDK app still names the version a service
    // without a record was generated from, and a README absent now is about to be written.
    this.existing = readRecord(project.outdir);
    this.record = { ...this.existing?.files ?? bootstrapRecord(project.outdir, samples, variables) };
    if (!fs.existsSync(path.join(project.outdir, README)) && this.record[README] === undefined) {
      this.record[README] = PACKAGE_VERSION;
    }
  }

  public synthesize(): void {
    for (const [sample, content] of this.samples) {
      const file = path.join(this.project.outdir, sample);
      // Present: the team's. Absent but recorded: the team deleted it.
      if (sample === README || fs.existsSync(file) || this.record[sample] !== undefined) continue;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      this.record[sample] = PACKAGE_VERSION;
    }
    const record: SampleRecord = { files: this.record };
    if (JSON.stringify(this.existing) !== JSON.stringify(record)) {
      writeRecord(this.project.outdir, record);
    }
  }
}

/**
 * The record of a service created before records existed: every sample of the release it was
 * generated from, as received from that release. Empty for a service being created.
 */
function bootstrapRecord(serviceDir: string, current: Map<string, string>, variables: SampleVariables): Record<string, string> {
  const previous = previousTemplateVersion(serviceDir);
  if (previous === undefined) return {};
  const samples = releaseSamples(previous, variables) ?? current;
  return Object.fromEntries([...samples.keys()].map((sample) => [sample, previous]));
}
