import { Match, Template } from 'aws-cdk-lib/assertions';
import { firstCategory, pipelineStagesOf, testsRunAfterDeploys } from '../pipeline-structure';
import { pipelineStack, THREE_STAGES } from './pipeline-fixture';

describe('ServicePipelineStack', () => {
  const stack = pipelineStack();
  const template = Template.fromStack(stack);
  const stages = pipelineStagesOf(template.toJSON() as any);
  const stage = (name: string) => stages.find((s) => s.Name === name)!;

  test('runs Source, Build, self-mutation, then every stage in order', () => {
    const names = stages.map((s) => s.Name);
    expect(names.slice(0, 3)).toEqual(['Source', 'Build', 'UpdatePipeline']);
    expect(names.filter((n) => THREE_STAGES.some((s) => s.name === n))).toEqual(['dev', 'staging', 'prod']);
    expect(names.indexOf('dev')).toBeGreaterThan(names.indexOf('UpdatePipeline'));
  });

  test('takes its source from the CodeConnections connection', () => {
    expect(stage('Source').Actions).toEqual([expect.objectContaining({
      ActionTypeId: expect.objectContaining({ Category: 'Source', Provider: 'CodeStarSourceConnection' }),
      Configuration: expect.objectContaining({
        ConnectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/6f1f2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
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
            build: { commands: ['npx projen build'] },
          }),
        })),
      },
    });
  });

  test('asks for approval before prod deploys, and not before dev or staging', () => {
    expect(firstCategory(stage('prod'))).toBe('Approval');
    expect(firstCategory(stage('dev'))).toBe('Deploy');
    expect(firstCategory(stage('staging'))).toBe('Deploy');
    expect(stages.flatMap((s) => s.Actions).filter((a) => a.ActionTypeId.Category === 'Approval')).toHaveLength(1);
  });

  test.each(['dev', 'staging', 'prod'])('runs the acceptance tests after every deploy action of %s', (name) => {
    expect(testsRunAfterDeploys(stage(name))).toBe(true);
    expect(stage(name).Actions.find((a) => a.Name === 'AcceptanceTests')!.ActionTypeId)
      .toMatchObject({ Category: 'Build', Provider: 'CodeBuild' });
  });

  test('gives the acceptance tests each stage\'s API URL as SERVICE_URL', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: {
        BuildSpec: Match.serializedJson(Match.objectLike({
          phases: Match.objectLike({ build: { commands: ['npx projen test:acceptance'] } }),
        })),
      },
    });
    const tests = stages.flatMap((s) => s.Actions).filter((a) => a.Name === 'AcceptanceTests');
    for (const action of tests) {
      expect(JSON.stringify(action)).toMatch(/"name\\":\\"SERVICE_URL\\",\\"type\\":\\"PLAINTEXT\\",\\"value\\":\\"#\{[\w-]+\.ApiUrl/);
    }
  });

  test('deploys each stage to its own account and region, with cross-account keys', () => {
    expect(stack.serviceStages.map((s) => [s.account, s.region])).toEqual([
      ['222222222222', 'eu-west-1'], ['333333333333', 'eu-west-1'], ['444444444444', 'eu-central-1'],
    ]);
    template.resourceCountIs('AWS::KMS::Key', 1);
  });
});

test('a pipeline whose stages share its account needs no cross-account key', () => {
  const stack = pipelineStack([{ name: 'dev', account: '111111111111', region: 'eu-west-1' }]);
  Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
});

test('a pipeline without stages is refused', () => {
  expect(() => pipelineStack([])).toThrow(/needs at least one stage/);
});
