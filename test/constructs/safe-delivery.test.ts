import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BAKE_SCRIPT } from '../../src/constructs/private/bake-step';
import { CONNECTION_ARN, pipelineStack, THREE_STAGES } from '../helpers/pipeline';
import { pipelineStagesOf } from '../helpers/pipeline-structure';

const stack = pipelineStack([
  THREE_STAGES[0],
  { ...THREE_STAGES[1], bakeTimeMinutes: 15 },
  { ...THREE_STAGES[2], deploymentWindow: { cron: '* * 9-16 ? * MON-THU', timeZone: 'Europe/Berlin' } },
]);
const template = Template.fromStack(stack);
const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties;
const stage = (name: string) => pipeline.Stages.find((s: any) => s.Name === name);

describe('a V2 pipeline that rolls every failed stage back', () => {
  test('is a V2 pipeline', () => {
    expect(pipeline.PipelineType).toBe('V2');
  });

  test.each(['dev', 'staging', 'prod'])('%s rolls back to its last successful execution when any of its actions fails', (name) => {
    expect(stage(name).OnFailure).toEqual({ Result: 'ROLLBACK' });
  });

  test('the stages CDK Pipelines needs before the service\'s are left as they are', () => {
    for (const name of ['Source', 'Build', 'UpdatePipeline', 'Assets']) expect(stage(name).OnFailure).toBeUndefined();
  });
});

describe('alarm gates', () => {
  const alarms = (stageName: string, account: string, region: string) => ['lambda-errors', 'api-5xx', 'latency-p99', 'lambda-throttles']
    .map((alarm) => ({
      Name: `orders-${stageName}-${alarm}`,
      RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'CloudWatchAlarm', Version: '1' },
      Configuration: { AlarmName: `orders-${stageName}-${alarm}`, AlarmStates: 'ALARM' },
      Region: region,
      RoleArn: `arn:aws:iam::${account}:role/serverless-service/orders/${stageName}/orders-${stageName}-alarm-reader`,
    }));

  test('the first stage is entered without condition', () => {
    expect(stage('dev').BeforeEntry).toBeUndefined();
  });

  test('a later stage is entered only while no alarm of the previous stage is in ALARM, read in that stage\'s account', () => {
    expect(stage('staging').BeforeEntry).toEqual({ Conditions: [{ Result: 'FAIL', Rules: alarms('dev', '222222222222', 'eu-west-1') }] });
  });

  const windowRule = {
    Name: 'prod-deployment-window',
    RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'DeploymentWindow', Version: '1' },
    Configuration: { Cron: '* * 9-16 ? * MON-THU', TimeZone: 'Europe/Berlin' },
  };

  test('a stage with a deployment window and the alarm gate has one entry condition: the window and the alarms, five rules', () => {
    expect(stage('prod').BeforeEntry).toEqual({ Conditions: [{ Result: 'FAIL', Rules: [windowRule, ...alarms('staging', '333333333333', 'eu-west-1')] }] });
  });

  test('its window is waited for in a stage of its own before it, whose one action checks the previous stage\'s alarms when the window opens', () => {
    expect(stage('Window-prod').BeforeEntry).toEqual({ Conditions: [{ Result: 'FAIL', Rules: [windowRule] }] });
    const actions = stage('Window-prod').Actions;
    expect(actions.map((a: any) => a.Name)).toEqual(['CheckAlarms']);
    const project = template.toJSON().Resources[actions[0].Configuration.ProjectName.Ref].Properties;
    expect(project.Environment.EnvironmentVariables).toEqual(expect.arrayContaining([
      { Name: 'ALARM_READER_ROLE_ARN', Type: 'PLAINTEXT', Value: 'arn:aws:iam::333333333333:role/serverless-service/orders/staging/orders-staging-alarm-reader' },
      { Name: 'ALARM_NAMES', Type: 'PLAINTEXT', Value: 'orders-staging-lambda-errors orders-staging-api-5xx orders-staging-latency-p99 orders-staging-lambda-throttles' },
      { Name: 'BAKE_MINUTES', Type: 'PLAINTEXT', Value: '0' },
    ]));
  });

  test('a window without the alarm gate is the stage\'s own entry condition, with no window stage', () => {
    const ungated = pipelineStack([THREE_STAGES[0], { ...THREE_STAGES[2], previousStageAlarmGate: false, deploymentWindow: { cron: '* * 9-16 ? * MON-THU', timeZone: 'Europe/Berlin' } }]);
    const [props] = Object.values(Template.fromStack(ungated).findResources('AWS::CodePipeline::Pipeline')).map((p) => p.Properties);
    expect(props.Stages.map((s: any) => s.Name)).not.toContain('Window-prod');
    expect(props.Stages.find((s: any) => s.Name === 'prod').BeforeEntry).toEqual({ Conditions: [{ Result: 'FAIL', Rules: [windowRule] }] });
  });
  test('the pipeline role may assume the alarm reader roles of the gated stages, and no other', () => {
    const pipelineRole = pipeline.RoleArn['Fn::GetAtt'][0];
    const assumable = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === pipelineRole))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => s.Action === 'sts:AssumeRole').flatMap((s) => [].concat(s.Resource));
    expect(assumable.filter((arn) => String(arn).includes('alarm-reader'))).toEqual([
      'arn:aws:iam::222222222222:role/serverless-service/orders/dev/orders-dev-alarm-reader',
      'arn:aws:iam::333333333333:role/serverless-service/orders/staging/orders-staging-alarm-reader',
    ]);
  });

  test('can be turned off for a stage', () => {
    const ungated = pipelineStack([THREE_STAGES[0], { ...THREE_STAGES[1], previousStageAlarmGate: false }]);
    const [props] = Object.values(Template.fromStack(ungated).findResources('AWS::CodePipeline::Pipeline')).map((p) => p.Properties);
    expect(props.Stages.find((s: any) => s.Name === 'staging').BeforeEntry).toBeUndefined();
  });
});

describe('the manual approval', () => {
  const names = pipeline.Stages.map((s: any) => s.Name);

  test('is a pipeline stage of its own, right before the gates of the stage it releases to, after the change set review', () => {
    expect(names.slice(names.indexOf('staging'))).toEqual(['staging', 'Approve-prod', 'Window-prod', 'prod']);
    expect(stage('Approve-prod').Actions.map((a: any) => [a.Name, a.ActionTypeId.Category])).toEqual([['ChangeSet', 'Build'], ['Approve-prod', 'Approval']]);
  });

  test('comes before every gate in execution order: every stage with an entry condition on prod\'s way runs after it', () => {
    const gated = pipeline.Stages.map((s: any, i: number) => [s.Name, i]).filter(([name]: [string]) => stage(name).BeforeEntry);
    const approval = names.indexOf('Approve-prod');
    expect(gated.filter(([name]: [string]) => name.endsWith('prod')).map(([, i]: [string, number]) => i > approval)).toEqual([true, true]);
    expect(stage('Approve-prod').BeforeEntry).toBeUndefined();
  });

  test('rejected, fails a stage that deploys nothing and never rolls back: prod is not entered, so it has nothing to roll back', () => {
    expect(stage('Approve-prod').OnFailure).toBeUndefined();
    expect(stage('Window-prod').OnFailure).toBeUndefined();
    expect(stage('Approve-prod').Actions.some((a: any) => a.ActionTypeId.Category === 'Deploy')).toBe(false);
    expect(stage('prod').Actions.some((a: any) => a.ActionTypeId.Category === 'Approval')).toBe(false);
  });
});

describe('bake time', () => {
  const actions = (name: string) => pipelineStagesOf(template.toJSON() as any).find((s) => s.Name === name)!.Actions;
  const bake: any = actions('staging').find((a) => a.Name === 'BakeTime')!;
  const project = template.toJSON().Resources[bake.Configuration.ProjectName.Ref].Properties;

  test('follows the acceptance tests of the stage that asks for it, and only there', () => {
    const byName = Object.fromEntries(actions('staging').map((a) => [a.Name, a.RunOrder]));
    expect(byName.BakeTime).toBeGreaterThan(byName.AcceptanceTests);
    expect(actions('dev').map((a) => a.Name)).not.toContain('BakeTime');
    expect(actions('prod').map((a) => a.Name)).not.toContain('BakeTime');
  });

  test('watches the stage\'s four alarms for its minutes, through the stage\'s alarm reader role, with time to spare', () => {
    expect(project.Environment.EnvironmentVariables).toEqual(expect.arrayContaining([
      { Name: 'ALARM_READER_ROLE_ARN', Type: 'PLAINTEXT', Value: 'arn:aws:iam::333333333333:role/serverless-service/orders/staging/orders-staging-alarm-reader' },
      { Name: 'STAGE_REGION', Type: 'PLAINTEXT', Value: 'eu-west-1' },
      { Name: 'ALARM_NAMES', Type: 'PLAINTEXT', Value: 'orders-staging-lambda-errors orders-staging-api-5xx orders-staging-latency-p99 orders-staging-lambda-throttles' },
      { Name: 'BAKE_MINUTES', Type: 'PLAINTEXT', Value: '15' },
    ]));
    expect(JSON.parse(project.Source.BuildSpec).phases.build.commands).toEqual([BAKE_SCRIPT]);
    expect(project.TimeoutInMinutes).toBe(25);
  });
});

describe('the bake script, run with a stand-in aws command', () => {
  /** Runs the script with an `aws` that answers describe-alarms from a list of answers, one per call. */
  function runBake(answers: string[], minutes = 3) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bake-'));
    fs.writeFileSync(path.join(dir, 'answers'), answers.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'aws'), [
      '#!/bin/sh',
      `echo "$@" >> ${dir}/calls`,
      'if [ "$1" = cloudwatch ]; then n=$(grep -c cloudwatch ' + `${dir}/calls); sed -n "\${n}p" ${dir}/answers; fi`,
    ].join('\n'), { mode: 0o755 });
    const result = spawnSync('bash', ['-c', BAKE_SCRIPT], {
      encoding: 'utf8',
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        ALARM_READER_ROLE_ARN: 'arn:aws:iam::333333333333:role/orders-staging-alarm-reader',
        STAGE_REGION: 'eu-west-1',
        ALARM_NAMES: 'a b',
        BAKE_MINUTES: String(minutes),
        BAKE_INTERVAL_SECONDS: '0',
      },
    });
    const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: result.status, output: result.stdout + result.stderr, calls };
  }

  test('passes when no alarm is in ALARM at any check, checking once before and once a minute', () => {
    const { status, calls } = runBake(['', 'None', '', '']);
    expect(status).toBe(0);
    expect(calls.filter((c) => c.startsWith('cloudwatch'))).toHaveLength(4);
    expect(calls[0]).toBe('configure set profile.stage.role_arn arn:aws:iam::333333333333:role/orders-staging-alarm-reader');
    expect(calls[2]).toBe('cloudwatch describe-alarms --profile stage --region eu-west-1 --alarm-names a b --state-value ALARM '
      + '--query MetricAlarms[].AlarmName --output text');
  });

  test('fails at the first check that finds an alarm in ALARM, naming it', () => {
    const { status, output, calls } = runBake(['', 'orders-staging-api-5xx', '']);
    expect(status).toBe(1);
    expect(output).toContain('In ALARM: orders-staging-api-5xx');
    expect(calls.filter((c) => c.startsWith('cloudwatch'))).toHaveLength(2);
  });

  test('with no bake minutes (the window stage\'s check), checks once and fails on an alarm in ALARM', () => {
    expect(runBake([''], 0)).toMatchObject({ status: 0 });
    expect(runBake([''], 0).calls.filter((c) => c.startsWith('cloudwatch'))).toHaveLength(1);
    const failing = runBake(['orders-staging-api-5xx'], 0);
    expect(failing.status).toBe(1);
    expect(failing.output).toContain('In ALARM: orders-staging-api-5xx');
  });

  test('is a valid shell script', () => {
    expect(() => execFileSync('bash', ['-n', '-c', BAKE_SCRIPT])).not.toThrow();
  });
});

test('the Source action may use the connection whichever prefix its ARN has', () => {
  const sourceRole = stage('Source').Actions[0].RoleArn['Fn::GetAtt'][0];
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === sourceRole))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
  expect(statements).toEqual(expect.arrayContaining([
    { Action: ['codeconnections:UseConnection', 'codestar-connections:UseConnection'], Effect: 'Allow', Resource: CONNECTION_ARN },
  ]));
});

describe('installing from the platform team\'s registry', () => {
  const CODEARTIFACT = { domain: 'platform', domainOwner: '999999999999', repository: 'npm-private', region: 'eu-west-1' };
  const LOGIN = 'aws codeartifact login --tool npm --domain platform --domain-owner 999999999999 --repository npm-private --region eu-west-1 --namespace @org';
  const withRegistry = pipelineStack(THREE_STAGES.slice(0, 1).map((s) => ({ ...s, stepsAfter: [{ name: 'Smoke', commands: ['npx projen test:smoke'] }] })),
    undefined, { packageRegistry: { codeArtifact: CODEARTIFACT, scope: '@org' } });
  const registryTemplate = Template.fromStack(withRegistry);
  const projects = Object.entries(registryTemplate.findResources('AWS::CodeBuild::Project'));
  const installing = projects.filter(([, p]) => String(p.Properties.Source.BuildSpec).includes('npm ci'));

  test('every build that installs logs in to CodeArtifact first: Build, acceptance tests, extra steps', () => {
    expect(installing.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(expect.arrayContaining([
      expect.stringMatching(/Synth/), expect.stringMatching(/AcceptanceTests/), expect.stringMatching(/Smoke/),
    ]));
    for (const [, project] of installing) {
      expect(JSON.parse(project.Properties.Source.BuildSpec).phases.install.commands).toEqual([LOGIN, 'npm ci']);
    }
  });

  test('each of those may get a token for the one domain and read the one repository, nothing more', () => {
    for (const [id, project] of installing) {
      const role = project.Properties.ServiceRole['Fn::GetAtt'][0];
      const statements = Object.values(registryTemplate.findResources('AWS::IAM::Policy'))
        .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s) => /codeartifact|sts:GetServiceBearerToken/.test(JSON.stringify(s.Action)));
      expect([id, statements]).toEqual([id, [
        { Action: 'codeartifact:GetAuthorizationToken', Effect: 'Allow', Resource: 'arn:aws:codeartifact:eu-west-1:999999999999:domain/platform' },
        {
          Action: ['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'],
          Effect: 'Allow',
          Resource: 'arn:aws:codeartifact:eu-west-1:999999999999:repository/platform/npm-private',
        },
        {
          Action: 'sts:GetServiceBearerToken',
          Condition: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
          Effect: 'Allow',
          Resource: '*',
        },
      ]]);
    }
  });

  test('pull-request builds get the same permissions (their buildspec.yml logs in the same way)', () => {
    const [, project] = projects.find(([, p]) => p.Properties.Name === 'orders-pull-requests')!;
    const role = project.Properties.ServiceRole['Fn::GetAtt'][0];
    const actions = Object.values(registryTemplate.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement).flatMap((s) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(['codeartifact:GetAuthorizationToken', 'codeartifact:ReadFromRepository', 'sts:GetServiceBearerToken']));
  });

  test('an npm registry\'s token comes from its secret, which only the installing builds may read', () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:npm-token-AbCdEf';
    const npm = Template.fromStack(pipelineStack(THREE_STAGES.slice(0, 1), undefined,
      { packageRegistry: { npmRegistryUrl: 'https://npm.example.com/private', npmTokenSecretArn: secret } }));
    const all = Object.values(npm.findResources('AWS::CodeBuild::Project'));
    const withToken = all.filter((p) => JSON.stringify(p.Properties.Environment.EnvironmentVariables ?? []).includes('NPM_TOKEN'));
    for (const project of withToken) {
      expect(project.Properties.Environment.EnvironmentVariables).toContainEqual({ Name: 'NPM_TOKEN', Type: 'SECRETS_MANAGER', Value: secret });
    }
    expect(withToken).toHaveLength(all.filter((p) => String(p.Properties.Source.BuildSpec).includes('npm ci')).length + 1);
    const installs = all.filter((p) => String(p.Properties.Source.BuildSpec).includes('npm ci'))
      .map((p) => JSON.parse(p.Properties.Source.BuildSpec).phases.install.commands);
    for (const commands of installs) {
      expect(commands).toEqual([
        'npm config set registry https://npm.example.com/private/',
        'npm config set "//npm.example.com/private/:_authToken" "$NPM_TOKEN"',
        'npm ci',
      ]);
    }
    npm.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'secretsmanager:GetSecretValue', Resource: `${secret}*` })]) },
    });
  });
});
