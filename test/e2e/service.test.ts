import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { createService, run, runCapturing, serviceEnv } from './service-factory';
import { firstRequest } from '../../bench/bundles';
import { cfnLintErrors, findTemplates } from '../helpers/cfn-lint';
import { firstCategory, pipelineStagesOf, testsRunAfterDeploys } from '../helpers/pipeline-structure';

// One real service, created from the packed package, shared by every test below.
const serviceDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-')), 'orders');
/** Figures measured on the way, printed at the end: label -> [value, unit]. */
const figures: Record<string, [number, string]> = {};
const timed = (label: string, seconds: number) => { figures[label] = [seconds, 's']; };
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(serviceDir, file), 'utf8'));
let newOutput = '';

/** Bytes no UTF-8 decoder keeps: a PDF's header and binary marker, a NUL and a 0xFF. */
const PDF_BYTES = [0x25, 0x50, 0x44, 0x46, 0x2d, 0x0a, 0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x00, 0xff];

/**
 * Routes a team typically adds, written into the service's own src/routes/v1.ts before its first
 * build: a binary download, a binary upload echoed back, and a URL-encoded form echoed as JSON.
 */
function addTeamRoutes(): void {
  const file = path.join(serviceDir, 'src', 'routes', 'v1.ts');
  const source = fs.readFileSync(file, 'utf8');
  const withRoutes = source
    .replace("import { Router } from 'express';", "import { raw, Router } from 'express';")
    .replace('  return router;\n', [
      "  router.get('/files/report.pdf', (_req, res) => {",
      `    res.type('application/pdf').send(Buffer.from([${PDF_BYTES.join(', ')}]));`,
      '  });',
      "  router.post('/files', raw({ type: () => true, limit: '1mb' }), (req, res) => {",
      "    res.type(req.get('content-type') ?? 'application/octet-stream').send(req.body);",
      '  });',
      "  router.post('/form', (req, res) => {",
      '    res.json({ form: req.body });',
      '  });',
      '',
      '  return router;',
      '',
    ].join('\n'));
  if (!withRoutes.includes('raw, Router') || !withRoutes.includes("'/files'")) throw new Error(`Unexpected sample ${file}: cannot add the team's routes`);
  fs.writeFileSync(file, withRoutes);
}

beforeAll(() => {
  const created = createService(serviceDir);
  newOutput = created.newOutput;
  timed('projen new', created.projenNew);
  addTeamRoutes();
  timed('first npx projen build', run('npx', ['projen', 'build'], serviceDir));
}, 20 * 60_000);

afterAll(() => {
  if (!process.env.E2E_KEEP) fs.rmSync(path.dirname(serviceDir), { recursive: true, force: true });
  const lines = Object.entries(figures).map(([label, [value, unit]]) => `  ${label.padEnd(28)} ${value.toFixed(1)} ${unit}`);
  process.stdout.write(`\nEnd-to-end service (${serviceDir}, kept only with E2E_KEEP=1)\n${lines.join('\n')}\n`);
});

describe('a service created with projen new --from the packed package', () => {
  test('holds the app, its tests, the buildspec and the CDK app', () => {
    for (const file of ['src/app.ts', 'src/handler.generated.ts', 'src/main.generated.ts', 'test/handler.generated.test.ts',
      'test/parity.generated.test.ts', 'test/support/parity.generated.ts',
      'test/acceptance/health.acceptance.ts', 'test/events/apigw-request.json', 'buildspec.yml', '.projenrc.ts']) {
      expect(fs.existsSync(path.join(serviceDir, file))).toBe(true);
    }
    expect(readJson('package.json').devDependencies['@org/serverless-service']).toMatch(/^file:/);
  });

  test('ran its own unit tests in the build, on the real events', () => {
    const report = fs.readFileSync(path.join(serviceDir, 'test-reports', 'junit.xml'), 'utf8');
    expect(report).toMatch(/failures="0"/);
    expect(report).toContain('API Gateway HTTP API (payload 2.0)');
    expect(Number(/tests="(\d+)"/.exec(report)![1])).toBeGreaterThanOrEqual(8);
  });

  test('ran the parity tests in the build: the template\'s, and its own routes through the same helper', () => {
    const report = fs.readFileSync(path.join(serviceDir, 'test-reports', 'junit.xml'), 'utf8');
    expect(report).toContain('binary responses reach every source byte for byte');
    expect(report).toContain('the sample routes on Lambda');
  });

  test('synthesizes a pipeline: Source, Build, self-mutation, dev, staging, prod', () => {
    const stages = pipelineStagesOf(readJson('cdk.out/orders-pipeline.template.json'));
    const names = stages.map((s) => s.Name);
    expect(names.slice(0, 3)).toEqual(['Source', 'Build', 'UpdatePipeline']);
    expect(names.filter((n) => ['dev', 'staging', 'prod'].includes(n))).toEqual(['dev', 'staging', 'prod']);
    expect(names.indexOf('dev')).toBeGreaterThan(names.indexOf('UpdatePipeline'));

    const stage = (name: string) => stages.find((s) => s.Name === name)!;
    // The approval is a stage of its own right before prod, so prod's gates are checked after it.
    expect(names.indexOf('Approve-prod')).toBe(names.indexOf('prod') - 1);
    expect(stage('Approve-prod').Actions.map((a) => a.ActionTypeId.Category)).toEqual(['Build', 'Approval']);
    expect(firstCategory(stage('prod'))).toBe('Deploy');
    expect(firstCategory(stage('dev'))).toBe('Deploy');
    for (const name of ['dev', 'staging', 'prod']) {
      expect(testsRunAfterDeploys(stage(name))).toBe(true);
    }
  });

  test('cfn-lint finds no error in any synthesized template, stage assemblies included', () => {
    const templates = findTemplates(path.join(serviceDir, 'cdk.out'));
    expect(templates.filter((t) => t.includes('assembly-orders-pipeline-'))).toHaveLength(3);
    expect(cfnLintErrors(templates)).toEqual([]);
  }, 120_000);

  test('cdk synth runs again from the CLI', () => {
    timed('cdk synth', run('npx', ['cdk', 'synth', '-q'], serviceDir));
    expect(fs.existsSync(path.join(serviceDir, 'cdk.out', 'manifest.json'))).toBe(true);
  }, 5 * 60_000);

  test.each([
    ['preview=pr-7', ['orders-pr-7']],
    ['sandbox=e2e', ['orders-sandbox-e2e']],
    ['previewAccess=true', ['orders-preview-access']],
  ])('cdk synth -c %s writes exactly that copy\'s stacks, nag and lint clean', (context, stackNames) => {
    const outdir = `cdk.${context.split('=')[0]}.out`;
    // cdk-nag runs in the synth: an unacknowledged finding fails it.
    timed(`cdk synth -c ${context}`, run('npx', ['cdk', 'synth', '-q', '-c', context, '-o', outdir], serviceDir));
    const templates = findTemplates(path.join(serviceDir, outdir));
    expect(stackNamesIn(path.join(serviceDir, outdir))).toEqual(stackNames);
    expect(templates).toHaveLength(stackNames.length);
    const resources: any[] = templates.flatMap((t) => Object.values(JSON.parse(fs.readFileSync(t, 'utf8')).Resources));
    expect(resources.filter((r) => r.DeletionPolicy === 'Retain' || r.UpdateReplacePolicy === 'Retain')).toEqual([]);
    expect(resources.filter((r) => r.Type.startsWith('AWS::CodeDeploy::'))).toEqual([]);
    for (const r of resources.filter((x) => x.Type === 'AWS::Logs::LogGroup')) expect(r.Properties.RetentionInDays).toBeLessThanOrEqual(7);
    expect(cfnLintErrors(templates)).toEqual([]);
  }, 5 * 60_000);

  test('its .projenrc.ts shows the main settings with their starting values, and the CDK version really used', () => {
    const projenrc = fs.readFileSync(path.join(serviceDir, '.projenrc.ts'), 'utf8');
    expect(projenrc).toContain("import { ServerlessServiceProject } from '@org/serverless-service';");
    expect(projenrc).toContain("  cdkVersion: '2.276.0',");
    expect(projenrc).toMatch(/ {2}\/\/ The repository the pipeline builds from\.\n {2}sourceRepository: \{\n {4}owner: 'my-org', \/\/ placeholder/);
    expect(projenrc).toMatch(/\n {2}pipelineAccount: '111111111111', \/\/ placeholder: set it before npx projen deploy\n/);
    expect(projenrc).toContain("  pipelineRegion: 'us-east-1',");
    expect(projenrc).toMatch(/ {2}stages: \[\n {4}\{ name: 'dev', account: '222222222222' \}, \/\/ placeholder/);
    expect(projenrc).toContain('  notifications: {\n    emailSubscribers: [],\n  },');
  });

  test('its lockfile installs with npm ci, as CI and the pipeline install it', () => {
    fs.rmSync(path.join(serviceDir, 'node_modules'), { recursive: true, force: true });
    timed('npm ci', run('npm', ['ci', '--no-audit', '--no-fund'], serviceDir));
    expect(fs.existsSync(path.join(serviceDir, 'node_modules', '@org', 'serverless-service', '.jsii'))).toBe(true);
  }, 10 * 60_000);

  test('deploying is refused while placeholders remain, naming the options to set', () => {
    expect(() => run('npx', ['projen', 'deploy'], serviceDir)).toThrow(/Refusing to deploy[\s\S]*pipelineAccount \(111111111111\)/);
  }, 60_000);
});

describe('safe delivery in the synthesized service', () => {
  const stageTemplate = (stage: string) => {
    const dir = path.join(serviceDir, 'cdk.out', `assembly-orders-pipeline-${stage}`);
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.template.json'))!;
    return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  };
  const resources = (template: any, type: string) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
  const pipeline = () => readJson('cdk.out/orders-pipeline.template.json');
  // CDK names a staged asset folder asset.<hash>, plus the source folder's extension if it has one.
  const assetDir = (s3Key: string) => {
    const hash = s3Key.replace(/\.zip$/, '');
    const name = fs.readdirSync(path.join(serviceDir, 'cdk.out')).find((f) => f === `asset.${hash}` || f.startsWith(`asset.${hash}.`));
    if (!name) throw new Error(`No staged asset ${hash} in cdk.out`);
    return path.join(serviceDir, 'cdk.out', name);
  };
  const serviceFunction = (template: any) => resources(template, 'AWS::Lambda::Function')
    .find(([, r]) => r.Properties.Environment?.Variables?.SERVICE_NAME === 'orders')![1];

  test.each(['dev', 'staging', 'prod'])('%s deploys through CodeDeploy with four alarms, auto-rollback and the pre-traffic hook', (stage) => {
    const template = stageTemplate(stage);
    const [[, group]] = resources(template, 'AWS::CodeDeploy::DeploymentGroup');
    expect(group.Properties.AlarmConfiguration.Alarms).toHaveLength(4);
    expect(group.Properties.AutoRollbackConfiguration.Enabled).toBe(true);
    expect([...group.Properties.AutoRollbackConfiguration.Events].sort())
      .toEqual(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST']);
    const [[, alias]] = resources(template, 'AWS::Lambda::Alias');
    expect(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook).toEqual({ Ref: expect.stringMatching(/PreTrafficHook/) });
  });

  test('staging and prod shift traffic by canary, prod the most carefully', () => {
    const config = (stage: string) => resources(stageTemplate(stage), 'AWS::CodeDeploy::DeploymentGroup')[0][1].Properties.DeploymentConfigName;
    expect(['dev', 'staging', 'prod'].map(config)).toEqual([
      'CodeDeployDefault.LambdaAllAtOnce', 'CodeDeployDefault.LambdaCanary10Percent5Minutes', 'CodeDeployDefault.LambdaCanary10Percent15Minutes',
    ]);
  });

  test('every stage deploys the same Lambda asset, built once', () => {
    const keys = ['dev', 'staging', 'prod'].map((stage) => serviceFunction(stageTemplate(stage)).Properties.Code.S3Key);
    expect(new Set(keys).size).toBe(1);
    expect(fs.readdirSync(assetDir(keys[0])).sort()).toEqual(['index.js', 'index.js.map']);
  });

  test('the pre-traffic hook ships as compiled JavaScript from the package', () => {
    const hooks = resources(stageTemplate('prod'), 'AWS::Lambda::Function').filter(([id]) => /PreTrafficHook/.test(id));
    expect(hooks).toHaveLength(1);
    const [[, hook]] = hooks;
    expect(fs.readdirSync(assetDir(hook.Properties.Code.S3Key))).toEqual(['index.js']);
    expect(fs.readFileSync(path.join(assetDir(hook.Properties.Code.S3Key), 'index.js'), 'utf8')).toMatch(/exports\.handler/);
  });

  test('the pipeline has cross-account keys, failure notifications and pull-request builds', () => {
    const template = pipeline();
    expect(resources(template, 'AWS::KMS::Key').map(([id]) => id)).toEqual(expect.arrayContaining([expect.stringMatching(/^PipelineArtifactsBucketEncryptionKey/)]));
    const [[, rule]] = resources(template, 'AWS::CodeStarNotifications::NotificationRule');
    expect(rule.Properties.EventTypeIds).toContain('codepipeline-pipeline-pipeline-execution-failed');
    const prBuild = resources(template, 'AWS::CodeBuild::Project').find(([, p]) => p.Properties.Name === 'orders-pull-requests')![1];
    expect(prBuild.Properties.Source).toMatchObject({ Type: 'GITHUB', ReportBuildStatus: true, BuildSpec: 'buildspec.yml' });
    expect(JSON.stringify(prBuild.Properties.Triggers.FilterGroups)).toContain('PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED');
  });

  test('a failed stage rolls back, and a stage enters only while the previous one has no alarm in ALARM', () => {
    const { Properties: props } = resources(pipeline(), 'AWS::CodePipeline::Pipeline')[0][1];
    expect(props.PipelineType).toBe('V2');
    const stage = (name: string) => props.Stages.find((s: any) => s.Name === name);
    for (const name of ['dev', 'staging', 'prod']) expect(stage(name).OnFailure).toEqual({ Result: 'ROLLBACK' });
    const alarmRules = (name: string) => stage(name).BeforeEntry.Conditions.flatMap((c: any) => c.Rules)
      .filter((r: any) => r.RuleTypeId.Provider === 'CloudWatchAlarm');
    expect(stage('dev').BeforeEntry).toBeUndefined();
    expect(alarmRules('staging').map((r: any) => r.Configuration.AlarmName))
      .toEqual(['orders-dev-lambda-errors', 'orders-dev-api-5xx', 'orders-dev-latency-p99', 'orders-dev-lambda-throttles']);
    expect(alarmRules('prod').map((r: any) => JSON.stringify(r.RoleArn)))
      .toEqual(Array(4).fill(expect.stringContaining(':iam::333333333333:role/serverless-service/orders/staging/orders-staging-alarm-reader')));
  });

  test('every deployed stage runs the acceptance tests against its own URL', () => {
    const projects = resources(pipeline(), 'AWS::CodeBuild::Project').map(([, p]) => p.Properties);
    expect(projects.filter((p) => String(p.Source.BuildSpec).includes('npx projen test:acceptance'))).toHaveLength(3);
  });
});

describe('secure by default in the synthesized service', () => {
  test('cdk-nag (AwsSolutions) ran over every stack: no error, only the web ACL advice of each stage', () => {
    const report = readJson('cdk.out/validation-report.json');
    const nag = report.pluginReports.find((r: any) => r.pluginName === 'AwsSolutions');
    expect(nag.conclusion).toBe('success');
    const findings = nag.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => `${v.severity} ${v.ruleName} ${c.constructPath}`));
    expect(findings.sort()).toEqual(['dev', 'prod', 'staging']
      .map((stage) => `warning AwsSolutions-APIG3 orders-pipeline/${stage}/orders/Service/Api/DeploymentStage.live/Resource`));
  });

  /** Runs one of the package's stage-account policy commands in the service; its exit code and what it printed. */
  const policyCommand = (command: 'execution-policy' | 'permissions-boundary', args: string[]) => {
    const result = spawnSync('npx', ['serverless-service', command, ...args], { cwd: serviceDir, env: serviceEnv(), encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const executionPolicy = (args: string[]) => policyCommand('execution-policy', args);

  test('the execution policy of a stage account covers every resource type of its stacks, without Action "*"', () => {
    const { status, stdout, stderr } = executionPolicy(['--account', '222222222222']);
    expect({ status, stderr: stderr.replace(/npm warn.*\n/g, '') }).toEqual({ status: 0, stderr: '' });
    const policy = JSON.parse(stdout);
    const actions: string[] = policy.Statement.flatMap((s: any) => s.Action);
    expect(actions).not.toContain('*');
    expect(actions.filter((a) => a.startsWith('iam:') && a.includes('*'))).toEqual([]);
    expect(policy.Statement.find((s: any) => s.Sid === 'StackServices').Action)
      .toEqual(expect.arrayContaining(['apigateway:*', 'cloudwatch:*', 'codedeploy:*', 'lambda:*', 'logs:*']));
    expect(policy.Statement.find((s: any) => s.Sid === 'StackRoles').Resource).toEqual(['arn:aws:iam::222222222222:role/serverless-service/orders/dev/*']);
  }, 60_000);

  test('the permissions boundary of a stage account fits in one policy, allows no IAM change, and the execution policy requires it', () => {
    const { status, stdout, stderr } = policyCommand('permissions-boundary', ['--account', '222222222222']);
    expect({ status, stderr: stderr.replace(/npm warn.*\n/g, '') }).toEqual({ status: 0, stderr: '' });
    expect(JSON.stringify(JSON.parse(stdout)).length).toBeLessThanOrEqual(6144);
    const actions: string[] = JSON.parse(stdout).Statement.flatMap((s: any) => s.Action);
    // Drift detection reads the stack's roles (CloudFormation compares them as the caller); reading a role changes none.
    const roleReads = ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'];
    expect(actions.filter((a) => (/^(iam|sts):/.test(a) && !roleReads.includes(a)) || a.includes('*'))).toEqual([]);
    const policy = JSON.parse(executionPolicy(['--account', '222222222222']).stdout);
    expect(JSON.stringify(policy.Statement)).toContain('"iam:PermissionsBoundary":["arn:aws:iam::222222222222:policy/serverless-service-boundary"]');
  }, 60_000);

  test('the execution policy refuses, naming it, a resource type it cannot cover', () => {
    // A copy of the assembly whose dev stack also holds a resource of a service the policy table does not know.
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-')), 'cdk.out');
    fs.cpSync(path.join(serviceDir, 'cdk.out'), copy, { recursive: true, filter: (f) => !path.basename(f).startsWith('asset.') });
    const devDir = path.join(copy, 'assembly-orders-pipeline-dev');
    const file = path.join(devDir, fs.readdirSync(devDir).find((f) => f.endsWith('.template.json'))!);
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    template.Resources.Fleet = { Type: 'AWS::GameLift::Fleet', Properties: {} };
    fs.writeFileSync(file, JSON.stringify(template));

    const { status, stdout, stderr } = executionPolicy(['--assembly', copy, '--account', '222222222222']);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('No execution policy can be computed: no IAM permissions are known for AWS::GameLift::Fleet.');
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  }, 60_000);

  test('deploys and pull-request builds run the audit task first', () => {
    expect(readJson('.projen/tasks.json').tasks.audit.steps).toEqual([{ exec: 'npm audit --audit-level=high --omit=dev' }]);
    expect(fs.readFileSync(path.join(serviceDir, 'buildspec.yml'), 'utf8')).toMatch(/pre_build:\n\s+commands:\n\s+- npx projen audit/);
  });
});

describe('seeing and running it locally', () => {
  test('projen new ends by telling what to do next', () => {
    expect(newOutput).toContain('Service orders created. Next:');
    expect(newOutput).toMatch(/in \.projenrc\.ts, set: pipelineAccount, .*; then npx projen/);
  });

  test('docs/pipeline.md lists the stages in order: entry conditions, approval before prod, deployment, bake time', () => {
    const page = fs.readFileSync(path.join(serviceDir, 'docs', 'pipeline.md'), 'utf8');
    const rows = page.split('\n').filter((line) => /^\| \d /.test(line)).map((line) => line.split('|').map((c) => c.trim()));
    const gate = 'while no alarm of the previous stage is in ALARM';
    expect(rows.map((r) => [r[1], r[2], r[6], r[7], r[8], r[9]])).toEqual([
      ['1', 'dev', 'none', 'no', 'ALL_AT_ONCE', 'none'],
      ['2', 'staging', gate, 'no', 'CANARY_10PERCENT_5MINUTES', 'none'],
      ['3', 'prod', gate, 'yes', 'CANARY_10PERCENT_15MINUTES', 'none'],
    ]);
  });

  test('npx projen invoke runs the handler with the real sample events', () => {
    const { output } = runCapturing('npx', ['projen', 'invoke'], serviceDir);
    expect(output).toMatch(/test\/events\/apigw-v2-request-no-authorizer\.json\n\{\n\s+"statusCode": 404/);
    expect(output).toMatch(/test\/events\/sqs-receive-message\.json\nrefused: Unsupported event/);
    const one = runCapturing('npx', ['projen', 'invoke', 'test/events/lambda-urls-request.json'], serviceDir).output;
    expect(one).toContain('test/events/lambda-urls-request.json');
    expect(one).not.toContain('apigw-request.json');
  }, 2 * 60_000);
});

describe('the bundled handler', () => {
  // The very file the pipeline deploys, driven with the real API Gateway events the service owns.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is found at run time, in the service
  const loadHandler = () => require(path.join(serviceDir, 'assets', 'handler.generated', 'index.js')).handler;
  const event = (file: string) => readJson(`test/events/${file}`);
  const context = { awsRequestId: 'e2e', getRemainingTimeInMillis: () => 10_000 };

  test('is one minified file with a source map', () => {
    const dir = path.join(serviceDir, 'assets', 'handler.generated');
    expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
    figures['handler bundle'] = [fs.statSync(path.join(dir, 'index.js')).size / 1024, 'KiB'];
  });

  test.each([
    ['REST API (payload 1.0)', (method: string, p: string) => ({
      ...event('apigw-request.json'),
      httpMethod: method,
      path: p,
      pathParameters: { proxy: p.slice(1) },
      body: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
    })],
    ['HTTP API (payload 2.0)', (method: string, p: string) => {
      const e = event('apigw-v2-request-no-authorizer.json');
      delete e.headers['content-length'];
      return { ...e, rawPath: p, requestContext: { ...e.requestContext, http: { ...e.requestContext.http, method, path: p } } };
    }],
  ])('answers %s events: 200 JSON for health, JSON 404 for an unknown path', async (_source, makeEvent) => {
    const handler = loadHandler();

    const health = await handler(makeEvent('GET', '/api/v1/health'), context);
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });

    const missing = await handler(makeEvent('GET', '/nowhere'), context);
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).error.status).toBe(404);
  });

  /** A REST API event as API Gateway sends it with binaryMediaTypes '*\/*': every body base64-encoded. */
  const restEvent = (method: string, p: string, headers: Record<string, string>, body?: Buffer) => ({
    ...event('apigw-request.json'),
    httpMethod: method,
    path: p,
    pathParameters: { proxy: p.slice(1) },
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    requestContext: { ...event('apigw-request.json').requestContext, path: `/live${p}` },
    body: body === undefined ? null : body.toString('base64'),
    isBase64Encoded: body !== undefined,
  });
  const bytesOf = (res: { body: string; isBase64Encoded: boolean }) => Buffer.from(res.body, res.isBase64Encoded ? 'base64' : 'utf8');

  test("sends a team route's binary response base64-encoded, byte for byte", async () => {
    const res = await loadHandler()(restEvent('GET', '/api/v1/files/report.pdf', { Accept: '*/*' }), context);

    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(true);
    expect([...bytesOf(res)]).toEqual(PDF_BYTES);
  });

  test('hands a binary upload to a team route byte for byte', async () => {
    const upload = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256));

    const res = await loadHandler()(restEvent('POST', '/api/v1/files', { 'Content-Type': 'image/png' }, upload), context);

    expect(res.statusCode).toBe(200);
    expect(res.multiValueHeaders['content-type']).toEqual(['image/png']);
    expect(bytesOf(res).equals(upload)).toBe(true);
  });

  test('parses a URL-encoded POST as Express does, with qs loaded at its first use', async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const res = await loadHandler()(restEvent('POST', '/api/v1/form', form, Buffer.from('city=Krak%C3%B3w&tags[]=a&note=x+y')), context);

    expect({ status: res.statusCode, body: JSON.parse(res.body) }).toEqual({ status: 200, body: { form: { 'city': 'Kraków', 'tags[]': 'a', 'note': 'x y' } } });
  });

  test('answers a JSON POST with an empty body (a REST event has no Content-Length) as Express does', async () => {
    const res = await loadHandler()(restEvent('POST', '/api/v1/echo', { 'Content-Type': 'application/json' }), context);

    expect({ status: res.statusCode, body: JSON.parse(res.body) }).toEqual({ status: 200, body: { body: {} } });
  });

  test('answers a malformed ALB query with a JSON 400, the request id and the security headers', async () => {
    const alb = { ...event('alb-lambda-target-request-multivalue-headers.json'), path: '/api/v1/health', multiValueQueryStringParameters: { q: ['100%'] } };

    const res = await loadHandler()(alb, context);

    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { status: 400, message: 'Malformed percent-encoding in the URL', requestId: 'e2e' } });
    expect(res.multiValueHeaders['x-request-id']).toEqual(['e2e']);
    expect(res.multiValueHeaders['content-security-policy']).toEqual(["default-src 'none';frame-ancestors 'none'"]);
  });

  // The V8 code-cache lever the benchmark measures (bench/probes/code-cache.cjs). V8 checks only a
  // cache's header, and a corrupt payload crashes node, so the probe's loader checks its own header
  // first: a cache that does not fit costs a compile, never an answer.
  test('answers the same first request with a V8 code cache, and with one that is corrupt, truncated or from another V8', () => {
    const bundle = path.join(serviceDir, 'assets', 'handler.generated', 'index.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-cache-'));
    const cache = (name: string) => path.join(dir, name);
    const first = (args: string[] = []) => firstRequest({ file: bundle, probeArgs: args }, serviceDir);
    const plain = first().get('first-response');
    expect(JSON.parse(plain!).statusCode).toBe(200);

    first(['--make-code-cache', cache('made')]);
    const made = fs.readFileSync(cache('made'));
    const variant = (name: string, change: (bytes: Buffer) => Buffer) => fs.writeFileSync(cache(name), change(Buffer.from(made)));
    const changeWord = (bytes: Buffer, offset: number) => {
      bytes.writeUInt32LE((bytes.readUInt32LE(offset) + 1) % 2 ** 32, offset);
      return bytes;
    };
    // The probe's header: magic, v8.cachedDataVersionTag() (V8's version and flags), CRC-32 of the source, CRC-32 of the payload.
    variant('other-v8', (bytes) => changeWord(bytes, 4));
    variant('corrupt', (bytes) => {
      for (let i = 64; i < bytes.length; i += 97) bytes[i] = 255 - bytes[i];
      return bytes;
    });
    variant('truncated', (bytes) => bytes.subarray(0, Math.floor(bytes.length / 2)));
    // Past the probe's checks to V8's own: the payload's V8 version hash (after V8's magic number) changed, the checksum made to fit.
    variant('v8-header', (bytes) => {
      changeWord(bytes, 16 + 4);
      bytes.writeUInt32LE(zlib.crc32(bytes.subarray(16)), 12);
      return bytes;
    });

    const outcome = (name: string) => {
      const printed = first(['--code-cache', cache(name)]);
      return [name, printed.get('code-cache-rejected'), printed.get('first-response')];
    };
    expect(outcome('made')).toEqual(['made', 'false', plain]);
    expect(outcome('other-v8')).toEqual(['other-v8', 'true: made by another V8 version or with other V8 flags', plain]);
    expect(outcome('corrupt')).toEqual(['corrupt', 'true: corrupt: its checksum does not match', plain]);
    expect(outcome('truncated')).toEqual(['truncated', 'true: corrupt: its checksum does not match', plain]);
    expect(outcome('v8-header')).toEqual(['v8-header', 'true: rejected by V8', plain]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('decodes bodies in other charsets without iconv-lite, and answers 415 to an unknown one', async () => {
    const bundle = fs.readFileSync(path.join(serviceDir, 'assets', 'handler.generated', 'index.js'), 'utf8');
    expect(bundle).not.toMatch(/gb18030|iconv-lite/i);
    const post = (charset: string, body: Buffer) => loadHandler()({
      ...event('apigw-request.json'),
      httpMethod: 'POST',
      path: '/api/v1/echo',
      pathParameters: { proxy: 'api/v1/echo' },
      headers: { 'Content-Type': `application/json; charset=${charset}` },
      multiValueHeaders: { 'Content-Type': [`application/json; charset=${charset}`] },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: body.toString('base64'),
      isBase64Encoded: true,
    }, context);

    const utf16 = await post('utf-16le', Buffer.from('{"city":"Kraków 日本"}', 'utf16le'));
    expect({ status: utf16.statusCode, body: JSON.parse(utf16.body) }).toEqual({ status: 200, body: { body: { city: 'Kraków 日本' } } });
    const unknown = await post('utf-99', Buffer.from('{}'));
    expect(unknown.statusCode).toBe(415);
    expect(JSON.parse(unknown.body).error.status).toBe(415);
  });
});

describe('npx projen dev', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  });

  test('serves the app, and the acceptance tests pass against it', async () => {
    const port = await freePort();
    server = spawn('npx', ['projen', 'dev'], { cwd: serviceDir, env: serviceEnv({ PORT: String(port) }), detached: true, stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(`${url}/api/v1/health`, 60_000);

    timed('acceptance tests', run('npx', ['projen', 'test:acceptance'], serviceDir, serviceEnv({ SERVICE_URL: url })));
    // The sandbox's acceptance tests, pointed at the local server instead of a deployed sandbox.
    timed('sandbox acceptance tests', run('npx', ['projen', 'sandbox:test'], serviceDir, serviceEnv({ SERVICE_URL: url })));
  }, 3 * 60_000);
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** Polls the health URL until it answers 200, or gives up after the timeout. */
async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

/** The stack names of a cloud assembly, nested stage assemblies included, from its manifests. */
function stackNamesIn(dir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  return Object.values(manifest.artifacts as Record<string, any>).flatMap((artifact) => {
    if (artifact.type === 'aws:cloudformation:stack') return [artifact.properties.stackName ?? ''];
    if (artifact.type === 'cdk:cloud-assembly') return stackNamesIn(path.join(dir, artifact.properties.directoryName));
    return [];
  });
}
