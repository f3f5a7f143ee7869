import { Match, Template } from 'aws-cdk-lib/assertions';
import { pipelineStack, serviceFunctionOf, THREE_STAGES } from '../helpers/pipeline';

// The fixture's stages: dev (first: DEVELOPMENT), staging (PRE_PRODUCTION), prod (last: PRODUCTION).
const stages = pipelineStack().serviceStages;
const templateOf = (i: number) => Template.fromStack(stages[i].serviceStack);
const [dev, staging, prod] = [0, 1, 2].map(templateOf);

describe('each stage\'s service stack', () => {
  test('runs the bundled handler on Node 24, arm64, with source maps', () => {
    dev.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps', SERVICE_NAME: 'orders', STAGE_NAME: 'dev' }) },
    });
  });

  test('publishes a version behind the live alias', () => {
    dev.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('Version'), 'Version'] },
    });
  });

  test('integrates API Gateway with the alias, not the bare function', () => {
    const aliasId = Object.keys(dev.findResources('AWS::Lambda::Alias'))[0];
    const methods = Object.values(dev.findResources('AWS::ApiGateway::Method'))
      .filter((m) => m.Properties.HttpMethod === 'ANY');
    expect(methods).toHaveLength(2); // the root and {proxy+}
    for (const method of methods) {
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(`{"Ref":"${aliasId}"}`);
    }
  });

  test('is named after the service and the stage', () => {
    expect(stages.map((s) => s.serviceStack.stackName)).toEqual(['orders-dev', 'orders-staging', 'orders-prod']);
  });

  test('outputs the API URL', () => {
    dev.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });

  test('deploys one and the same Lambda asset in every stage', () => {
    const assetKey = (t: Template) => serviceFunctionOf(t).Code.S3Key;
    expect(assetKey(dev)).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(assetKey(staging)).toBe(assetKey(dev));
    expect(assetKey(prod)).toBe(assetKey(dev));
  });
});

describe('canary deployments', () => {
  test.each<[string, Template, string]>([
    ['dev', dev, 'CodeDeployDefault.LambdaAllAtOnce'],
    ['staging', staging, 'CodeDeployDefault.LambdaCanary10Percent5Minutes'],
    ['prod', prod, 'CodeDeployDefault.LambdaCanary10Percent15Minutes'],
  ])('%s shifts traffic with its config, rolls back on alarm, failure and stop', (_stage, template, config) => {
    const group = Object.values((template as Template).findResources('AWS::CodeDeploy::DeploymentGroup'))[0].Properties;
    expect(group.DeploymentConfigName).toBe(config);
    expect(group.DeploymentStyle).toEqual({ DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' });
    expect(group.AutoRollbackConfiguration.Enabled).toBe(true);
    expect([...group.AutoRollbackConfiguration.Events].sort())
      .toEqual(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST']);
  });

  test('every deployment group watches the four alarms', () => {
    for (const template of [dev, staging, prod]) {
      const group = Object.values(template.findResources('AWS::CodeDeploy::DeploymentGroup'))[0];
      const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarmIds).toHaveLength(4);
      expect(group.Properties.AlarmConfiguration.Enabled).toBe(true);
      expect(group.Properties.AlarmConfiguration.Alarms.map((a: any) => a.Name.Ref).sort()).toEqual(alarmIds.sort());
    }
  });

  test('alarms on Lambda errors, API 5XX, p99 latency and throttles, named for the service and stage', () => {
    const alarms = Object.values(prod.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.map((a) => [a.AlarmName, a.MetricName, a.Namespace, a.ExtendedStatistic ?? a.Statistic, a.Threshold])).toEqual([
      ['orders-prod-lambda-errors', 'Errors', 'AWS/Lambda', 'Sum', 1],
      ['orders-prod-api-5xx', '5XXError', 'AWS/ApiGateway', 'Sum', 1],
      ['orders-prod-latency-p99', 'Latency', 'AWS/ApiGateway', 'p99', 3000],
      ['orders-prod-lambda-throttles', 'Throttles', 'AWS/Lambda', 'Sum', 1],
    ]);
  });

  test('the alias is updated through CodeDeploy with the pre-traffic hook', () => {
    const alias = Object.values(dev.findResources('AWS::Lambda::Alias'))[0];
    const hookId = Object.keys(dev.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { HEALTH_PATH: '/api/v1/health' } } },
    }))[0];
    expect(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate).toMatchObject({
      BeforeAllowTrafficHook: { Ref: hookId },
      DeploymentGroupName: { Ref: expect.stringMatching(/Deployment/) },
    });
  });

  test('the pre-traffic hook targets the new version and may report to CodeDeploy', () => {
    const hook = Object.values(dev.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { HEALTH_PATH: '/api/v1/health' } } },
    }))[0];
    expect(hook.Properties.Environment.Variables.TARGET_VERSION_ARN).toEqual({ Ref: expect.stringMatching(/CurrentVersion/) });
    const statements = Object.values(dev.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'codedeploy:PutLifecycleEventHookExecutionStatus' }),
      // Every version of the service's function, so the grant does not change (and wait on IAM) with each release.
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ServiceFunction/), 'Arn'] }, ':*']] } }),
    ]));
  });
});

describe('per-stage settings, prod the strictest', () => {
  const fn = serviceFunctionOf;
  const apiStage = (t: Template) => Object.values(t.findResources('AWS::ApiGateway::Stage'))[0].Properties;
  const functionLogRetention = (t: Template) => Object.entries(t.findResources('AWS::Logs::LogGroup'))
    .find(([id]) => id.startsWith('ServiceFunctionLogs'))![1].Properties.RetentionInDays;

  test('memory: 512 MiB in dev and staging, 1024 MiB in prod', () => {
    expect([dev, staging, prod].map((t) => fn(t).MemorySize)).toEqual([512, 512, 1024]);
  });

  test('logs: kept 7, 30 and 365 days', () => {
    expect([dev, staging, prod].map(functionLogRetention)).toEqual([7, 30, 365]);
  });

  test('API throttling: 50, 100 and 1000 requests per second, bursts twice that', () => {
    expect([dev, staging, prod].map((t) => apiStage(t).MethodSettings[0]))
      .toEqual([50, 100, 1000].map((rate) => expect.objectContaining({ ThrottlingRateLimit: rate, ThrottlingBurstLimit: rate * 2 })));
  });

  test('CORS: any origin in dev and staging, none in prod unless listed', () => {
    expect([dev, staging, prod].map((t) => fn(t).Environment.Variables.CORS_ALLOWED_ORIGINS)).toEqual(['*', '*', '']);
  });

  test('no reserved concurrency unless asked', () => {
    expect(fn(prod).ReservedConcurrentExecutions).toBeUndefined();
  });

  test('a stage\'s own settings override its profile', () => {
    const [custom] = pipelineStack([{
      name: 'prod',
      account: '444444444444',
      region: 'eu-west-1',
      memorySize: 2048,
      timeoutSeconds: 20,
      reservedConcurrency: 50,
      corsAllowedOrigins: ['https://shop.example.com'],
      tracing: true,
      logRetentionDays: 90,
      deploymentStrategy: 'LINEAR_10PERCENT_EVERY_2MINUTES' as any,
    }]).serviceStages;
    const t = Template.fromStack(custom.serviceStack);
    expect(fn(t)).toMatchObject({
      MemorySize: 2048,
      Timeout: 20,
      ReservedConcurrentExecutions: 50,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: expect.objectContaining({ CORS_ALLOWED_ORIGINS: 'https://shop.example.com' }) },
    });
    expect(functionLogRetention(t)).toBe(90);
    expect(apiStage(t).TracingEnabled).toBe(true);
    t.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes' });
  });
});

describe('tracing', () => {
  const xrayStatement = { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' };
  const xrayPolicies = (t: Template) => Object.entries(t.findResources('AWS::IAM::Policy'))
    .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('xray:'));
  /** Every function of the stage: the service's, its pre-traffic hook, its drift report. */
  const tracedFunctions = (t: Template) => Object.values(t.findResources('AWS::Lambda::Function'));

  test.each([['dev', dev], ['staging', staging], ['prod', prod]])('%s traces the API and every function: the service\'s, the pre-traffic hook, the drift report', (_stage, t) => {
    const functions = tracedFunctions(t as Template);
    expect(functions).toHaveLength(3);
    for (const f of functions) expect(f.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(Object.values((t as Template).findResources('AWS::ApiGateway::Stage'))[0].Properties.TracingEnabled).toBe(true);
  });

  test('X-Ray\'s two write actions, in one policy of their own on every function\'s role, which the functions wait for', () => {
    const policies = xrayPolicies(prod);
    expect(policies).toHaveLength(1);
    const [policyId, policy] = policies[0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([xrayStatement]);
    const functions = tracedFunctions(prod);
    const roleIds = functions.map((f) => f.Properties.Role['Fn::GetAtt'][0]).sort();
    expect(policy.Properties.Roles.map((r: { Ref: string }) => r.Ref).sort()).toEqual(roleIds);
    // Lambda refuses active tracing to a role that may not send traces.
    for (const f of functions) expect(f.DependsOn).toContain(policyId);
  });

  test('a stage can turn it off: no active tracing, no X-Ray permission, an untraced API', () => {
    const [untraced] = pipelineStack([{ ...THREE_STAGES[2], tracing: false }]).serviceStages;
    const t = Template.fromStack(untraced.serviceStack);
    for (const f of tracedFunctions(t)) expect(f.Properties.TracingConfig).toBeUndefined();
    expect(xrayPolicies(t)).toEqual([]);
    expect(Object.values(t.findResources('AWS::ApiGateway::Stage'))[0].Properties.TracingEnabled).toBe(false);
  });
});

describe('operating a stage', () => {
  test('has a dashboard with the rollback alarms, traffic, errors and latency', () => {
    const dashboard = Object.values(prod.findResources('AWS::CloudWatch::Dashboard'))[0].Properties;
    expect(dashboard.DashboardName).toBe('orders-prod');
    const body = JSON.stringify(dashboard.DashboardBody);
    for (const title of ['Alarms that roll a deployment back', 'Requests and errors', 'API latency', 'Function duration']) {
      expect(body).toContain(title);
    }
  });
});

describe('what the pipeline sees of a stage', () => {
  test('a fixed-name role the pipeline account may assume to read the four rollback alarms, and nothing else', () => {
    const [role] = Object.values(prod.findResources('AWS::IAM::Role', { Properties: { RoleName: 'orders-prod-alarm-reader' } }));
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
    }]);
    expect(role.Properties.Policies).toEqual([{
      PolicyName: 'ReadAlarms',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Action: 'cloudwatch:DescribeAlarms',
          Effect: 'Allow',
          Resource: ['lambda-errors', 'api-5xx', 'latency-p99', 'lambda-throttles']
            .map((alarm) => `arn:aws:cloudwatch:eu-central-1:444444444444:alarm:orders-prod-${alarm}`).sort(),
        }],
      },
    }]);
  });

  test('no function outside CloudFormation moves the live alias: a failed stage rolls back through the pipeline', () => {
    const functions = Object.keys(prod.findResources('AWS::Lambda::Function'));
    // Drift detection's report function reads drifts and puts one event (drift-detection.test.ts checks its policy).
    expect(functions.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['DriftDetectionReport', 'ServiceFunction', 'ServicePreTrafficHook']);
    expect(JSON.stringify(prod.toJSON())).not.toContain('lambda:UpdateAlias\",\"lambda:ListVersionsByFunction');
  });
});
