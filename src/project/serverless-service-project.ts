import { awscdk, javascript } from 'projen';
import { Buildspec } from './buildspec';
import { NextSteps } from './next-steps';
import type { ServerlessServiceProjectOptions } from './options';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';
import { PipelineAppFile } from './pipeline-app-file';
import { PipelinePage } from './pipeline-page';
import { resolveServiceSettings, ServiceSettings } from './service-settings';
import { ServiceTasks } from './service-tasks';
import { readTemplate, TemplateFiles } from './template-files';

/** The oldest aws-cdk-lib the constructs of this package are tested with. */
const MINIMUM_CDK_VERSION = '2.276.0';

/** Node.js major version of the Lambda runtime, the bundle target and the CodeBuild images. */
const NODE_VERSION = '22';

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
    // Checked before the base class runs, so a bad option never writes a file.
    const settings: ServiceSettings = resolveServiceSettings(options);

    super({
      github: false,
      packageManager: javascript.NodePackageManager.NPM,
      typescriptVersion: '~5.9.3',
      lambdaAutoDiscover: false,
      integrationTestAutoDiscover: false,
      ...options,
      cdkVersion: newerVersion(options.cdkVersion, MINIMUM_CDK_VERSION),
      appEntrypoint: 'main.generated.ts',
      sampleCode: false,
      readme: {
        contents: readTemplate('README.md')
          .replace(/\{\{serviceName\}\}/g, settings.serviceName)
          .replace(/\{\{packageName\}\}/g, PACKAGE_NAME),
      },
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
        'helmet@^8',
        ...(options.deps ?? []),
      ],
      devDeps: [
        '@types/express@^5',
        '@types/cors@^2',
        '@types/aws-lambda@^8',
        // The Node.js of the Lambda runtime (projen would otherwise ask for a dist-tag that @types/node no longer has).
        `@types/node@^${NODE_VERSION}`,
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
    this.compileTask.exec(`tsc --noEmit -p ${this.tsconfigDev.fileName}`);

    const bundle = this.bundler.addBundle('src/handler.generated.ts', {
      platform: 'node',
      target: `node${NODE_VERSION}`,
      minify: true,
      sourcemap: true,
      // The runtime provides the AWS SDK v3.
      externals: ['@aws-sdk/*'],
      watchTask: false,
    });

    new TemplateFiles(this);
    new PipelineAppFile(this, `${this.srcdir}/${this.appEntrypoint}`, settings, bundle.outdir);
    new ServiceTasks(this, settings);
    new Buildspec(this, NODE_VERSION);
    new PipelinePage(this, settings);
    new NextSteps(this, settings);

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
  if (!a) return b;
  const parse = (v: string) => v.replace(/^[^\d]*/, '').split('.').map((n) => parseInt(n, 10) || 0);
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0) ? a : b;
  }
  return a;
}
