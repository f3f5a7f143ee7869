import { Match, Template } from 'aws-cdk-lib/assertions';
import { SourceProvider } from '../../src';
import { CONNECTION_ARN, pipelineStack, THREE_STAGES } from '../helpers/pipeline';
import { firstCategory, pipelineStagesOf, testsRunAfterDeploys } from '../helpers/pipeline-structure';

// The default three-stage pipeline, synthesized once: no test changes it.
const stack = pipelineStack();
const template = Template.fromStack(stack);

describe('ServicePipelineStack', () => {
  const stages = pipelineStagesOf(template.toJSON() as any);
  const stage = (name: string) => stages.find((s) => s.Name === name)!;

  test('runs Source, Build, self-mutation, then every stage in order', () => {
    const names = stages.map((s) => s.Name);
    expect(names.slice(0, 3)).toEqual(['Source', 'Build', 'UpdatePipeline']);
    expect(names.filter((n) => THREE_STAGES.some((s) => s.name === n))).toEqual(['dev', 'staging', 'prod']);
    expect(names.indexOf('dev')).toBeGreaterThan(names.indexOf('UpdatePipeline'));
  });

  test('spends few CodeBuild actions per release: one build, one self-update, one asset publish, one test per stage, a change set review and check where a stage is approved; no Docker', () => {
    const codeBuildActions = stages.map((s) => [s.Name, s.Actions.filter((a) => a.ActionTypeId.Provider === 'CodeBuild').length]);
    expect(codeBuildActions).toEqual([['Source', 0], ['Build', 1], ['UpdatePipeline', 1], ['Assets', 1], ['dev', 1], ['staging', 1], ['Approve-prod', 1], ['prod', 2]]);
    for (const project of Object.values(template.findResources('AWS::CodeBuild::Project'))) {
      expect(project.Properties.Environment.PrivilegedMode ?? false).toBe(false);
      expect(project.Properties.Environment.ComputeType).toBe('BUILD_GENERAL1_SMALL');
    }
  });

  test('takes its source from the CodeConnections connection', () => {
    expect(stage('Source').Actions).toEqual([expect.objectContaining({
      ActionTypeId: expect.objectContaining({ Category: 'Source', Provider: 'CodeStarSourceConnection' }),
      Configuration: expect.objectContaining({
        ConnectionArn: CONNECTION_ARN,
        FullRepositoryId: 'acme/orders',
        BranchName: 'main',
      }),
    })]);
  });

  test('builds with the service\'s own projen build, on Node 22', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: {
        BuildSpec: Match.serializedJson(Match.objectLike({
          phases: Match.objectLike({
            install: { 'runtime-versions': { nodejs: '22' }, 'commands': ['npm ci'] },
            build: { commands: ['npx projen audit', 'npx projen build'] },
          }),
        })),
      },
    });
  });

  test('asks for approval before prod deploys, and not before dev or staging', () => {
    const names = stages.map((s) => s.Name);
    expect(names.indexOf('Approve-prod')).toBe(names.indexOf('prod') - 1);
    expect(stage('Approve-prod').Actions.map((a) => a.ActionTypeId.Category)).toEqual(['Build', 'Approval']);
    expect(firstCategory(stage('prod'))).toBe('Deploy');
    expect(firstCategory(stage('dev'))).toBe('Deploy');
    expect(firstCategory(stage('staging'))).toBe('Deploy');
    expect(stages.flatMap((s) => s.Actions).filter((a) => a.ActionTypeId.Category === 'Approval')).toHaveLength(1);
  });

  test.each(['dev', 'staging', 'prod'])('runs the acceptance tests after every deploy action of %s', (name) => {
    expect(testsRunAfterDeploys(stage(name))).toBe(true);
    expect(stage(name).Actions.find((a) => a.Name === 'AcceptanceTests')!.ActionTypeId)
      .toMatchObject({ Category: 'Build', Provider: 'CodeBuild' });
  });

  test('gives the acceptance tests each stage\'s API URL as SERVICE_URL, and runs only them', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: {
        BuildSpec: Match.serializedJson(Match.objectLike({
          phases: Match.objectLike({ build: { commands: ['npx projen test:acceptance'] } }),
        })),
      },
    });
    const tests = stages.flatMap((s) => s.Actions).filter((a) => a.Name === 'AcceptanceTests');
    expect(tests).toHaveLength(3);
    for (const action of tests) {
      expect(JSON.stringify(action)).toMatch(/"name\\":\\"SERVICE_URL\\",\\"type\\":\\"PLAINTEXT\\",\\"value\\":\\"#\{[\w-]+\.ApiUrl/);
    }
  });

  test('deploys each stage to its own account and region, with cross-account keys', () => {
    expect(stack.serviceStages.map((s) => [s.account, s.region])).toEqual([
      ['222222222222', 'eu-west-1'], ['333333333333', 'eu-west-1'], ['444444444444', 'eu-central-1'],
    ]);
    expect(artifactKeys(template)).toHaveLength(1);
  });
});

describe('around the pipeline', () => {
  test('pipeline failures reach the notifications topic', () => {
    template.hasResourceProperties('AWS::CodeStarNotifications::NotificationRule', {
      EventTypeIds: Match.arrayWith(['codepipeline-pipeline-pipeline-execution-failed']),
      Targets: [{ TargetType: 'SNS', TargetAddress: { Ref: Match.stringLikeRegexp('NotificationsTopic') } }],
    });
  });

  test('alarm state changes of every stage account reach the topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        'source': ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        'account': ['222222222222', '333333333333', '444444444444'],
      }),
    });
    expect(Object.keys(template.findResources('AWS::Events::EventBusPolicy'))).toHaveLength(3);
  });

  test('each stage in another account forwards its alarms to the pipeline account', () => {
    for (const stage of stack.serviceStages) {
      Template.fromStack(stage.serviceStack).hasResourceProperties('AWS::Events::Rule', {
        Targets: [Match.objectLike({ Arn: 'arn:aws:events:eu-west-1:111111111111:event-bus/default' })],
      });
    }
  });

  test('pull requests to the branch run the buildspec and report their status', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Name: 'orders-pull-requests',
      Source: Match.objectLike({ Type: 'GITHUB', ReportBuildStatus: true, BuildSpec: 'buildspec.yml' }),
      Triggers: Match.objectLike({ Webhook: true }),
    });
  });

  test('pull-request builds can be turned off', () => {
    const withoutPrBuilds = pipelineStack(undefined, undefined, { pullRequestBuilds: false });
    expect(withoutPrBuilds.pullRequestBuild).toBeUndefined();
    expect(Object.values(Template.fromStack(withoutPrBuilds).findResources('AWS::CodeBuild::Project'))
      .filter((p) => p.Properties.Name === 'orders-pull-requests')).toEqual([]);
  });
});

/** A pipeline whose one stage is in its own account and region. */
const sameAccount = pipelineStack([{ name: 'dev', account: '111111111111', region: 'eu-west-1' }]);

test('a stage in the pipeline\'s own account and region forwards nothing: the central rules see its alarms and drift reports', () => {
  const [stage] = sameAccount.serviceStages;
  const rules = Object.values(Template.fromStack(stage.serviceStack).findResources('AWS::Events::Rule'));
  // Only drift detection's own rule, which hands CloudFormation's results to its function.
  expect(rules.map((r) => r.Properties.EventPattern.source)).toEqual([['aws.cloudformation']]);
});

test('a pipeline whose stages share its account still encrypts its artifacts with a rotating key of its own', () => {
  const sameAccountTemplate = Template.fromStack(sameAccount);
  const [keyId] = artifactKeys(sameAccountTemplate);
  expect(sameAccountTemplate.toJSON().Resources[keyId].Properties.EnableKeyRotation).toBe(true);
});

test('a GitHub Enterprise repository gets pull-request builds from its own clone URL', () => {
  const sourceRepository = {
    owner: 'acme',
    connectionArn: CONNECTION_ARN,
    provider: SourceProvider.GITHUB_ENTERPRISE,
    repositoryUrl: 'https://git.acme.example/acme/orders.git',
  };
  Template.fromStack(pipelineStack(undefined, undefined, { sourceRepository })).hasResourceProperties('AWS::CodeBuild::Project', {
    Name: 'orders-pull-requests',
    Source: Match.objectLike({ Type: 'GITHUB_ENTERPRISE', Location: 'https://git.acme.example/acme/orders.git' }),
  });
});

test('a pipeline without stages is refused, as in .projenrc.ts', () => {
  expect(() => pipelineStack([])).toThrow(/^Invalid settings for ServicePipelineStack:\n {2}- 'stages' must list at least one stage to deploy to\.$/);
});

/** KMS keys of the pipeline's artifact bucket (the notifications topic has a key of its own). */
function artifactKeys(pipelineTemplate: Template): string[] {
  return Object.keys(pipelineTemplate.findResources('AWS::KMS::Key')).filter((id) => id.startsWith('PipelineArtifactsBucketEncryptionKey'));
}
