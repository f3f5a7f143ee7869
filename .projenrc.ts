import { cdk, javascript, JsonFile } from 'projen';
import { runtimeConstantsFile } from './src/project/runtime-constants';
import { DEFAULT_HEALTH_PATH } from './src/settings/constants';

// The CDK version this package is built and tested against; generated services never get an older one.
const CDK_VERSION = '2.276.0';

const project = new cdk.JsiiProject({
  name: '@org/serverless-service',
  description: 'A projen project type for serverless microservices: an Express app on AWS Lambda behind API Gateway, with its own multi-account CDK delivery pipeline.',
  author: 'Platform Team',
  authorAddress: 'platform@example.com',
  repositoryUrl: 'https://github.com/org/serverless-service.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  keywords: ['projen', 'aws-cdk', 'serverless', 'lambda', 'express', 'pipeline'],

  // CI is `.ci/run`; publishing is left to the platform team's own release process.
  github: false,
  release: false,

  peerDeps: [
    'projen@^0.103.25',
    `aws-cdk-lib@^${CDK_VERSION}`,
    'constructs@^10.5.1',
    // Security rules (AwsSolutions) over every synthesized stack, run by ServicePipelineStack.
    'cdk-nag@^3.0.2',
  ],
  // Not jsii modules: shipped inside the package. fastest-levenshtein names the closest valid option for a
  // misspelt one; the CloudFormation client runs `serverless-service drift` on a developer's machine.
  bundledDeps: ['fastest-levenshtein@^1.0.16', '@aws-sdk/client-cloudformation@^3', '@aws-sdk/client-sts@^3'],
  devDeps: [
    // Sample code under template/ is type-checked and linted here, so it needs the service's libraries.
    'express@^5',
    '@types/express@^5',
    'cors@^2',
    '@types/cors@^2',
    '@codegenie/serverless-express@^4.17',
    '@aws-lambda-powertools/logger@^2',
    '@aws-lambda-powertools/tracer@^2',
    'helmet@^8',
    'content-type@^2',
    '@types/aws-lambda@^8',
    'supertest@^7',
    '@types/supertest@^6',
    // The functions this package deploys (pre-traffic hook, drift report) run on the Lambda Node.js runtime, which provides the AWS SDK v3.
    '@aws-sdk/client-lambda@^3',
    '@aws-sdk/client-codedeploy@^3',
    '@aws-sdk/client-eventbridge@^3',
    'aws-sdk-client-mock@^4',
    // The service's bundle swaps iconv-lite for a TextDecoder shim; a test checks they decode alike.
    'iconv-lite@^0.7',
    // Evaluates the generated IAM policies (execution policy, permissions boundary) as IAM would.
    '@cloud-copilot/iam-simulate@^0.1',
  ],

  jestOptions: {
    // The test task never rewrites a snapshot: a changed one fails (`npx projen test:update` accepts it).
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // The end-to-end test packs and builds a real service: it runs in its own task.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
    },
  },
});

project.package.addVersion('0.7.1');
// The command line services' tasks call (bootstrap).
project.package.addBin({ 'serverless-service': 'lib/cli/main.js' });
project.package.addField('files', ['lib', 'template', 'releases', '.jsii', 'README.md', 'API.md', 'LICENSE']);

// template/ holds real TypeScript: type-check it as the service's own tsconfig would.
new JsonFile(project, 'template/tsconfig.json', {
  obj: {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['es2022'],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      noImplicitReturns: true,
      types: ['node', 'jest'],
      typeRoots: ['../node_modules/@types'],
      // A service imports this package from node_modules; here it is the source itself.
      paths: { [project.package.packageName]: ['../src/index.ts'] },
    },
    include: ['**/*.ts'],
  },
});
// ts-jest only transpiles (isolatedModules): the tests and the template are type-checked here.
// The one template file a service renders from its settings; here, from the defaults, so the template type-checks.
runtimeConstantsFile(project, 'template/src/constants.generated.ts', { healthPath: DEFAULT_HEALTH_PATH });
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the tests and the sample files copied into new services',
  steps: [
    { exec: 'tsc --noEmit -p test/tsconfig.json' },
    { exec: 'tsc -p template/tsconfig.json' },
  ],
});
project.testTask.prependSpawn(typecheck);

// The template's own tests (generated and sample) run here too, not only in the end-to-end service.
new JsonFile(project, 'jest.template.config.json', {
  obj: {
    rootDir: 'template',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }] },
    testEnvironment: 'node',
    // The template's packages are this repository's: src/mime-types.generated.ts requires one by its path.
    moduleNameMapper: { '^\\.\\./node_modules/(.*)$': '<rootDir>/../node_modules/$1' },
  },
});
const testTemplate = project.addTask('test:template', {
  description: 'Run the template\'s tests, as a new service runs them',
  exec: 'jest --config jest.template.config.json',
});
project.testTask.spawn(testTemplate);
project.eslint?.addLintPattern('template');
// The template's libraries are devDependencies here (a service depends on them itself), and so is the
// AWS SDK of the functions the constructs deploy (the Lambda runtime provides it).
project.eslint?.addOverride({
  files: ['template/**/*.ts', 'src/constructs/functions/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true }] },
});
// template/src/extend.ts imports this very package, which a service has as a devDependency.
project.eslint?.addOverride({
  files: ['template/src/extend.ts'],
  rules: { 'import/no-extraneous-dependencies': 'off' },
});
project.npmignore?.exclude('/template/tsconfig.json');

// Module boundaries: src/settings is the leaf every layer shares; private construct helpers stay in src/constructs;
// the project type uses no construct; src/upgrade builds on neither the project type nor the CLI.
project.eslint?.addRules({
  'import/no-cycle': ['error', { ignoreExternal: true }],
  'import/no-restricted-paths': ['error', {
    zones: [
      {
        target: './src/settings',
        from: './src',
        except: ['./settings'],
        message: 'src/settings holds the shared settings model: it imports nothing else of this package.',
      },
      {
        target: ['./src/project', './src/cli', './src/policy', './src/upgrade', './src/settings'],
        from: './src/constructs/private',
        message: 'src/constructs/private is for the constructs only; move what you need to src/settings or src/policy.',
      },
      {
        target: './src/project',
        from: './src/constructs',
        message: 'The project type writes files and tasks: it needs no construct; share what both need through src/settings.',
      },
      {
        target: './src/upgrade',
        from: ['./src/project', './src/cli'],
        message: 'src/upgrade is what the project type and the CLI build on: it imports neither; share what both need through src/settings or src/package-info.ts.',
      },
    ],
  }],
});
project.gitignore.exclude('/.readme-check/', '/.release-packs/');

new JsonFile(project, 'jest.e2e.config.json', {
  obj: {
    testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
    testEnvironment: 'node',
  },
});
const e2e = project.addTask('test:e2e', {
  description: 'Pack this package, create a service from it, and build, lint, synthesize and acceptance-test that service',
  exec: 'jest --config jest.e2e.config.json --runInBand',
  receiveArgs: true,
});

project.addTask('ci', {
  description: 'The whole test suite: build (compile, unit tests, lint, package) and the end-to-end test',
  steps: [{ spawn: 'build' }, { spawn: e2e.name }],
});

project.addTask('release:record', {
  description: 'Record a release: its commit in releases/releases.json, its samples in releases/samples/, a tag (args: [VERSION COMMIT], default: package.json and HEAD)',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/release-record.ts',
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Benchmark a service created from the packed package against baselines built in the same run (prints ratios, never fails on them)',
  exec: 'ts-node --project test/tsconfig.json bench/bench.ts',
  receiveArgs: true,
});

project.addTask('new-service', {
  description: 'Create a complete, built and tested service from this checkout: npx projen new-service <folder>',
  steps: [
    { spawn: 'compile' },
    { spawn: 'package:js' },
    { exec: 'ts-node --project test/tsconfig.json test/e2e/new-service.ts', receiveArgs: true },
  ],
});

project.synth();
