import { cdk, javascript, JsonFile } from 'projen';

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
    'constructs@^10.5.0',
  ],
  devDeps: [
    // Sample code under template/ is type-checked and linted here, so it needs the service's libraries.
    'express@^5',
    '@types/express@^5',
    'cors@^2',
    '@types/cors@^2',
    '@codegenie/serverless-express@^4.17',
    '@types/aws-lambda@^8',
    'supertest@^7',
    '@types/supertest@^6',
  ],

  jestOptions: {
    jestConfig: {
      // The end-to-end test packs and builds a real service: it runs in its own task.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
    },
  },
});

project.package.addVersion('0.1.0');
project.package.addField('files', ['lib', 'template', '.jsii', 'README.md', 'API.md', 'LICENSE']);

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
    },
    include: ['**/*.ts'],
  },
});
const typecheckTemplate = project.addTask('typecheck:template', {
  description: 'Type-check the sample files copied into new services',
  exec: 'tsc -p template/tsconfig.json',
});
project.testTask.prependSpawn(typecheckTemplate);
project.eslint?.addLintPattern('template');
// In this repository the template's libraries are devDependencies; in a service they are its own dependencies.
project.eslint?.addOverride({
  files: ['template/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true }] },
});
project.npmignore?.exclude('/template/tsconfig.json');

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

project.addTask('new-service', {
  description: 'Create a complete, built and tested service from this checkout: npx projen new-service <folder>',
  steps: [
    { spawn: 'compile' },
    { spawn: 'package:js' },
    { exec: 'ts-node --project test/tsconfig.json test/e2e/new-service.ts', receiveArgs: true },
  ],
});

project.synth();
