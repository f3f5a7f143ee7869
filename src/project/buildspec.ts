import { Project, YamlFile } from 'projen';
import { BUILD_COMMANDS, BUILD_NODE_VERSION } from '../settings/constants';
import { installCommands } from '../settings/install-commands';
import { ResolvedPackageRegistry } from '../settings/resolve';

/**
 * `buildspec.yml`: the CodeBuild build of pull requests. It runs what the pipeline's Build
 * runs, on the same Node.js, so a green pull request means a green build.
 */
export class Buildspec extends YamlFile {
  constructor(project: Project, registry?: ResolvedPackageRegistry) {
    super(project, 'buildspec.yml', {
      obj: {
        version: 0.2,
        env: { variables: { CDK_DISABLE_CLI_TELEMETRY: 'true' } },
        phases: {
          install: {
            'runtime-versions': { nodejs: BUILD_NODE_VERSION },
            // From the platform team's registry when there is one (its token comes from the project's environment).
            'commands': installCommands(registry),
          },
          pre_build: { commands: [...BUILD_COMMANDS.preBuild] },
          build: { commands: [...BUILD_COMMANDS.build] },
        },
        reports: {
          'unit-tests': { 'files': ['test-reports/junit.xml'], 'file-format': 'JUNITXML' },
        },
        cache: { paths: ['/root/.npm/**/*'] },
      },
    });
  }
}
