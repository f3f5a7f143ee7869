import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SourceProvider, StageProfile } from '../../src';
import { cfnLintErrors, findTemplates } from '../helpers/cfn-lint';
import { pipelineStack, serviceApp, THREE_STAGES } from '../helpers/pipeline';

const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/serverless-service/orders/preview-access/orders-preview-deploy';

function projectNamed(template: Template, name: string): any {
  const found = Object.values(template.findResources('AWS::CodeBuild::Project', { Properties: { Name: name } }));
  expect(found).toHaveLength(1);
  return (found[0] as any).Properties;
}

describe('a pipeline with a dev stage', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-previews-'));
  const app = serviceApp(outdir);
  const stack = pipelineStack(THREE_STAGES, app);
  app.synth();
  const template = Template.fromStack(stack);

  test('deploys and tests a preview on every push to a pull request to the branch, and reports it on the pull request', () => {
    const project = projectNamed(template, 'orders-previews');
    expect(project.Triggers).toMatchObject({
      Webhook: true,
      FilterGroups: [[
        { Type: 'EVENT', Pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' },
        { Type: 'BASE_REF', Pattern: '^refs/heads/main$' },
      ]],
    });
    expect(project.Source).toMatchObject({ Type: 'GITHUB', ReportBuildStatus: true, Auth: { Type: 'CODECONNECTIONS' } });
    // It deploys the pull request's code: members' pull requests start it, anyone else's wait for a member's comment.
    expect(project.Triggers.PullRequestBuildPolicy).toEqual({ RequiresCommentApproval: 'ALL_PULL_REQUESTS' });
    const buildSpec = JSON.parse(project.Source.BuildSpec);
    expect(buildSpec.phases.build.commands).toEqual(['npx projen bundle', 'npx serverless-service preview deploy']);
    expect(buildSpec.phases.install.commands).toEqual(['npm ci']);
    expect(project.Environment.EnvironmentVariables).toEqual(expect.arrayContaining([
      { Name: 'PREVIEW_DEPLOY_ROLE_ARN', Type: 'PLAINTEXT', Value: DEPLOY_ROLE },
      { Name: 'PREVIEW_REGION', Type: 'PLAINTEXT', Value: 'eu-west-1' },
    ]));
  });

  test('destroys the preview when the pull request is merged or closed, without a status on it', () => {
    const project = projectNamed(template, 'orders-preview-teardown');
    expect(project.Triggers.FilterGroups).toEqual([[
      { Type: 'EVENT', Pattern: 'PULL_REQUEST_MERGED, PULL_REQUEST_CLOSED' },
      { Type: 'BASE_REF', Pattern: '^refs/heads/main$' },
    ]]);
    expect(project.Source.ReportBuildStatus).toBe(false);
    expect(JSON.parse(project.Source.BuildSpec).phases.build.commands).toEqual(['npx serverless-service preview destroy']);
  });

  test('each project may assume the preview deploy role; the deploy project also the dev account\'s asset publishing role', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as any[];
    const assumed = policies.flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => s.Action === 'sts:AssumeRole' && JSON.stringify(s.Resource).includes('orders-preview-deploy'));
    expect(assumed.map((s: any) => JSON.stringify(s.Resource)).sort()).toEqual([
      DEPLOY_ROLE,
      DEPLOY_ROLE,
      ['arn:aws:iam::222222222222:role/cdk-hnb659fds-file-publishing-role-222222222222-eu-west-1', DEPLOY_ROLE],
    ].map((r) => JSON.stringify(r)).sort());
  });

  test('links the pull request to its preview: a project without webhook whose status is named "<service> preview", started by the deploy', () => {
    const link = projectNamed(template, 'orders-preview-link');
    expect(link.Triggers).toEqual({ Webhook: false });
    expect(link.Source).toMatchObject({
      Type: 'GITHUB', ReportBuildStatus: true, BuildStatusConfig: { Context: 'orders preview' }, GitCloneDepth: 1, Auth: { Type: 'CODECONNECTIONS' },
    });
    expect(JSON.parse(link.Source.BuildSpec).phases).toEqual({ build: { commands: ['echo "Preview: $PREVIEW_URL"'] } });

    const linkId = Object.keys(template.findResources('AWS::CodeBuild::Project', { Properties: { Name: 'orders-preview-link' } }))[0];
    expect(projectNamed(template, 'orders-previews').Environment.EnvironmentVariables)
      .toContainEqual({ Name: 'PREVIEW_LINK_PROJECT', Type: 'PLAINTEXT', Value: { Ref: linkId } });
    expect(projectNamed(template, 'orders-preview-teardown').Environment.EnvironmentVariables.map((v: any) => v.Name))
      .not.toContain('PREVIEW_LINK_PROJECT');
    // Only the deploy project may start it.
    const starts = (Object.values(template.findResources('AWS::IAM::Policy')) as any[])
      .flatMap((p) => p.Properties.PolicyDocument.Statement.map((statement: any) => ({ policy: p.Properties.PolicyName, statement })))
      .filter(({ statement }) => JSON.stringify(statement.Resource).includes(`["${linkId}","Arn"]`));
    expect(starts).toEqual([{
      policy: expect.stringMatching(/^PreviewsDeployProjectRoleDefaultPolicy/),
      statement: { Effect: 'Allow', Action: 'codebuild:StartBuild', Resource: { 'Fn::GetAtt': [linkId, 'Arn'] } },
    }]);
  });

  test('sweeps stale previews every day with a function that assumes the same role', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PreviewsSweeper'), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { SERVICE_NAME: 'orders', PREVIEW_DEPLOY_ROLE_ARN: DEPLOY_ROLE, PREVIEW_REGION: 'eu-west-1', MAX_AGE_DAYS: '7' } },
    });
  });

  test('passes cfn-lint without errors', () => {
    expect(cfnLintErrors(findTemplates(outdir).filter((t) => t.includes('orders-pipeline')))).toEqual([]);
  });
});

test('previews.maxAgeDays reaches the sweeper; on Bitbucket, no reopened event exists', () => {
  const stack = pipelineStack(THREE_STAGES, serviceApp(), {
    previews: { maxAgeDays: 3 },
    sourceRepository: {
      owner: 'acme',
      name: 'orders',
      provider: SourceProvider.BITBUCKET,
      connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/6f1f2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    },
  });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ MAX_AGE_DAYS: '3' }) } });
  expect(projectNamed(template, 'orders-previews').Triggers.FilterGroups[0][0])
    .toEqual({ Type: 'EVENT', Pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED' });
  expect(projectNamed(template, 'orders-preview-teardown').Triggers.FilterGroups[0][0])
    .toEqual({ Type: 'EVENT', Pattern: 'PULL_REQUEST_MERGED, PULL_REQUEST_CLOSED' });
});

test.each([
  ['previews: { enabled: false }', { previews: { enabled: false } }, THREE_STAGES],
  ['no stage with the DEVELOPMENT profile', {}, THREE_STAGES.map((s) => ({ ...s, profile: StageProfile.PRE_PRODUCTION }))],
])('%s: no preview project, no sweeper', (_name, overrides, stages) => {
  const template = Template.fromStack(pipelineStack(stages, serviceApp(), overrides));
  const names = Object.values(template.findResources('AWS::CodeBuild::Project')).map((p: any) => p.Properties.Name);
  expect(names).not.toContain('orders-previews');
  expect(names).not.toContain('orders-preview-teardown');
  expect(names).not.toContain('orders-preview-link');
  expect(names).toContain('orders-pull-requests');
  template.resourcePropertiesCountIs('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' }, 0);
});

test.each([
  [SourceProvider.BITBUCKET, { Type: 'BITBUCKET', BuildStatusConfig: { Context: 'orders preview' } }],
  [SourceProvider.GITHUB_ENTERPRISE, { Type: 'GITHUB_ENTERPRISE', BuildStatusConfig: { Context: 'orders preview' } }],
])('on %s the preview link is a named status too', (provider, source) => {
  const template = Template.fromStack(pipelineStack(THREE_STAGES, serviceApp(), {
    sourceRepository: {
      owner: 'acme',
      name: 'orders',
      provider,
      repositoryUrl: 'https://git.example.com/acme/orders.git',
      connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/6f1f2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    },
  }));
  expect(projectNamed(template, 'orders-preview-link').Source).toMatchObject({ ...source, ReportBuildStatus: true, GitCloneDepth: 1 });
});

test('on GitLab, whose statuses link only to their build, no link project, no variable, no StartBuild grant', () => {
  const template = Template.fromStack(pipelineStack(THREE_STAGES, serviceApp(), {
    sourceRepository: {
      owner: 'acme',
      name: 'orders',
      provider: SourceProvider.GITLAB,
      connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/6f1f2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    },
  }));
  const names = Object.values(template.findResources('AWS::CodeBuild::Project')).map((p: any) => p.Properties.Name);
  expect(names).toContain('orders-previews');
  expect(names).not.toContain('orders-preview-link');
  expect(projectNamed(template, 'orders-previews').Environment.EnvironmentVariables.map((v: any) => v.Name)).not.toContain('PREVIEW_LINK_PROJECT');
  const previewPolicies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('Previews'));
  expect(previewPolicies.length).toBeGreaterThan(0);
  expect(JSON.stringify(previewPolicies)).not.toContain('codebuild:StartBuild');
});
