import { Project, YamlFile } from 'projen';

/**
 * `buildspec.yml`: the CodeBuild build of pull requests. It runs the same projen
 * tasks as a developer and the pipeline do, so a green pull request means a green build.
 */
export class Buildspec extends YamlFile {
  constructor(project: Project, nodeVersion: string) {
    super(project, 'buildspec.yml', {
      obj: {
        version: 0.2,
        env: { variables: { CDK_DISABLE_CLI_TELEMETRY: 'true' } },
        phases: {
          install: {
            'runtime-versions': { nodejs: nodeVersion },
            'commands': ['npm ci'],
          },
          // Known high and critical vulnerabilities in what ships stop the build (see the audit task).
          pre_build: { commands: ['npx projen audit'] },
          build: { commands: ['npx projen build'] },
        },
        reports: {
          'unit-tests': { 'files': ['test-reports/junit.xml'], 'file-format': 'JUNITXML' },
        },
        cache: { paths: ['/root/.npm/**/*'] },
      },
    });
  }
}
