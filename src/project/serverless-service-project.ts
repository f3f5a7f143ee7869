import { awscdk, javascript, typescript } from 'projen';
import { Buildspec } from './buildspec';
import { NewProjenrc, startingSettings } from './new-projenrc';
import { NextSteps } from './next-steps';
import { unknownOptionProblems } from './option-names';
import type { ServerlessServiceProjectOptions } from './options';
import { OwnedSamples } from './owned-samples';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info';
import { PipelineAppFile } from './pipeline-app-file';
import { PipelinePage } from './pipeline-page';
import { refusedOptionProblems } from './refused-options';
import { RUNTIME_CONSTANTS_FILE, runtimeConstantsFile } from './runtime-constants';
import { ServiceTasks } from './service-tasks';
import { TemplateFiles } from './template-files';
import { addTemplateUpgradeRule } from './template-upgrade-rule';
import { BUILD_NODE_VERSION, FUNCTION_NODE_VERSION } from '../settings/constants';
import { serviceSettingsProblems, settingsError } from '../settings/problems';
import { pickServiceSettings, resolveServiceSettings } from '../settings/resolve';
import { currentSamples } from '../upgrade/template-samples';
import { compareVersions } from '../upgrade/versions';

/** The oldest aws-cdk-lib the constructs of this package are tested with. */
const MINIMUM_CDK_VERSION = '2.276.0';

/**
 * A serverless microservice: an Express app on AWS Lambda behind API Gateway, with
 * its tests and its own CDK delivery pipeline (dev, staging, prod, across accounts).
 *
 * @pjid serverless-service
 */
export class ServerlessServiceProject extends awscdk.AwsCdkTypeScriptApp {
  /** Short name of the service, used in stack, pipeline and resource names. */
  public readonly serviceName: string;

  constructor(options: ServerlessServiceProjectOptions) {
    const serviceName = options.serviceName ?? options.name.replace(/^@[^/]+\//, '');
    // While `projen new` creates the service, its .projenrc.ts (written at the end) shows the starting settings: synthesize those.
    const creating = (options as { __new__?: unknown }).__new__ !== undefined;
    const serviceSettings = { ...creating ? startingSettings(serviceName) : {}, ...pickServiceSettings(options), serviceName };
    // Checked before the base class runs, so a bad option never writes a file.
    const problems = [
      ...unknownOptionProblems(options, `${PACKAGE_NAME}.ServerlessServiceProjectOptions`),
      ...refusedOptionProblems(options),
      ...serviceSettingsProblems(serviceSettings),
    ];
    if (problems.length > 0) {
      throw settingsError('Invalid options for ServerlessServiceProject in .projenrc.ts (nothing was written):', problems);
    }
    const settings = resolveServiceSettings(serviceSettings);
    const cdkVersion = newerVersion(options.cdkVersion, MINIMUM_CDK_VERSION);
    const sampleVariables = { serviceName: settings.serviceName, packageName: PACKAGE_NAME };
    const samples = currentSamples(sampleVariables);

    super({
      github: false,
      packageManager: javascript.NodePackageManager.NPM,
      typescriptVersion: '~5.9.3',
      lambdaAutoDiscover: false,
      integrationTestAutoDiscover: false,
      // .projenrc.ts and the CDK app run through tsx, which only transpiles: `npx projen` and
      // `cdk synth` skip a full type-check each time (most of their time); the build's compile
      // step type-checks both, and every option's value is checked when .projenrc.ts runs.
      runner: typescript.TypeScriptRunner.tsx(),
      ...options,
      projenrcTsOptions: {
        runner: typescript.TypeScriptRunner.tsx({ tsconfig: 'projenrc/tsconfig.json' }),
        ...options.projenrcTsOptions,
      },
      cdkVersion,
      jestOptions: {
        // A build never rewrites a snapshot: a changed one fails (`npx projen test:update` accepts it).
        updateSnapshot: javascript.UpdateSnapshot.NEVER,
        ...options.jestOptions,
      },
      appEntrypoint: 'main.generated.ts',
      sampleCode: false,
      // projen writes README.md when it is absent (always, whatever this says): with the template's own.
      readme: { contents: samples.get('README.md')! },
      tsconfig: {
        ...options.tsconfig,
        compilerOptions: {
          // Type checking is the compile step's job; ts-jest then only transpiles, which is faster.
          isolatedModules: true,
          ...options.tsconfig?.compilerOptions,
        },
      },
      deps: [
        'express@^5',
        'cors@^2',
        '@codegenie/serverless-express@^4.17',
        '@aws-lambda-powertools/logger@^2',
        // X-Ray segments of each request, with its request id and route (src/tracer.generated.ts).
        '@aws-lambda-powertools/tracer@^2',
        'helmet@^8',
        // Parses response content types, to tell text from binary on Lambda (Express's own parser, so one copy in the bundle).
        'content-type@^2',
        ...(options.deps ?? []),
      ],
      devDeps: [
        '@types/express@^5',
        '@types/cors@^2',
        '@types/aws-lambda@^8',
        // The Node.js of the Lambda runtime (projen would otherwise ask for a dist-tag that @types/node no longer has).
        `@types/node@^${BUILD_NODE_VERSION}`,
        'supertest@^7',
        '@types/supertest@^6',
        'tsx@^4',
        // The security rules ServicePipelineStack runs at every synth (a peer of this package).
        'cdk-nag@^3.0.2',
        ...(options.devDeps ?? []),
      ],
    });
    this.serviceName = settings.serviceName;

    this.tasks.addEnvironment('CDK_DISABLE_CLI_TELEMETRY', 'true');

    // The build type-checks sources and tests together (the base type compiles nothing).
    this.tsconfigDev.addInclude('../src/**/*.ts');
    this.tsconfigDev.addInclude('../.projenrc.ts');
    this.compileTask.exec(`tsc --noEmit -p ${this.tsconfigDev.fileName}`);

    const bundle = this.bundler.addBundle('src/handler.generated.ts', {
      platform: 'node',
      target: `node${FUNCTION_NODE_VERSION}`,
      minify: true,
      sourcemap: true,
      // The runtime provides the AWS SDK v3.
      externals: ['@aws-sdk/*'],
      esbuildArgs: {
        // Stack traces need names and lines only: without the sources the map is a fifth of the size,
        // and the function's --enable-source-maps reads it at every cold start. (projen's own
        // `sourcesContent: false` writes nothing, and esbuild's default is true.)
        '--sources-content': 'false',
        // Node's TextDecoder in place of iconv-lite's character-set tables (src/iconv-lite.generated.ts).
        '--alias:iconv-lite': './src/iconv-lite.generated.ts',
        // mime-types loaded at its first use, the charset of JSON answered without mime-db (src/mime-types.generated.ts).
        '--alias:mime-types': './src/mime-types.generated.ts',
        // Packages required at init and first asked for later, loaded at their first use (src/lazy-module.generated.ts):
        // semver (the X-Ray SDK's check of an AWS SDK v2) and qs (URL-encoded bodies, extended query strings).
        '--alias:semver': './src/semver.generated.ts',
        '--alias:qs': './src/qs.generated.ts',
      },
      watchTask: false,
    });

    // The CDK app runs through tsx too (projen's AwsCdkTypeScriptApp always writes ts-node), so
    // nothing needs ts-node any more: one package less to install.
    this.cdkConfig.json.addOverride('app', `npx tsx ${this.srcdir}/${this.appEntrypoint}`);
    this.deps.removeDependency('ts-node');

    new TemplateFiles(this);
    new OwnedSamples(this, samples, sampleVariables);
    runtimeConstantsFile(this, RUNTIME_CONSTANTS_FILE, settings);
    new PipelineAppFile(this, `${this.srcdir}/${this.appEntrypoint}`, serviceSettings, bundle.outdir);
    new ServiceTasks(this, settings);
    new Buildspec(this, settings.packageRegistry);
    new PipelinePage(this, settings);
    new NextSteps(this, settings);
    new NewProjenrc(this, settings.serviceName, cdkVersion);
    addTemplateUpgradeRule(this);

    // src/extend.ts (owned) imports this package, a devDependency, at synth time only.
    this.eslint?.addOverride({
      files: ['src/extend.ts'],
      rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true }] },
    });
  }

  public postSynthesize(): void {
    super.postSynthesize();
    console.log(`Generated from the ${PACKAGE_NAME} ${PACKAGE_VERSION} template.`);
  }
}

/** The newer of two plain `major.minor.patch` versions; a missing one loses. */
function newerVersion(a: string | undefined, b: string): string {
  return a && compareVersions(a, b) >= 0 ? a : b;
}
