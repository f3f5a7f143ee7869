import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { PullRequestBuild, SourceProvider, SourceRepositoryOptions } from '../../src';
import { CONNECTION_ARN, PIPELINE_ENV, serviceApp } from '../helpers/pipeline';

function buildTemplate(source: SourceRepositoryOptions = {}, buildImage?: codebuild.IBuildImage): Template {
  const stack = new Stack(serviceApp(), 'orders-pipeline', { env: PIPELINE_ENV });
  new PullRequestBuild(stack, 'PullRequests', {
    serviceName: 'orders',
    sourceRepository: { owner: 'acme', name: 'orders', branch: 'main', connectionArn: CONNECTION_ARN, ...source },
    buildImage,
  });
  return Template.fromStack(stack);
}

const project = (template: Template) => Object.values(template.findResources('AWS::CodeBuild::Project'))[0];

describe('PullRequestBuild', () => {
  const template = buildTemplate();

  test('takes its source from GitHub through the CodeConnections connection, and reports status there', () => {
    template.resourceCountIs('AWS::CodeBuild::Project', 1);
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: Match.objectLike({
        Type: 'GITHUB',
        Location: 'https://github.com/acme/orders.git',
        Auth: { Type: 'CODECONNECTIONS', Resource: CONNECTION_ARN },
        ReportBuildStatus: true,
      }),
    });
  });

  test('runs the repository\'s own buildspec.yml', () => {
    expect(project(template).Properties.Source.BuildSpec).toBe('buildspec.yml');
  });

  test('builds every pull request created, updated or reopened against the branch', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Triggers: {
        Webhook: true,
        FilterGroups: [[
          { Type: 'EVENT', Pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' },
          { Type: 'BASE_REF', Pattern: '^refs/heads/main$' },
        ]],
      },
    });
  });

  test('lets its role use the connection, and that connection only, before the project exists', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('connections:'));
    expect(policies).toHaveLength(1);
    const [policyId, policy] = policies[0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: expect.arrayContaining([
        'codeconnections:UseConnection', 'codeconnections:GetConnectionToken', 'codestar-connections:UseConnection',
      ]),
      Resource: CONNECTION_ARN,
    }]);
    expect(policy.Properties.Roles).toEqual([{ Ref: Object.keys(template.findResources('AWS::IAM::Role'))[0] }]);
    expect(project(template).DependsOn).toContain(policyId);
  });

  test('runs on the standard 7.0 image, with CDK telemetry off and Node 22', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({
        Image: 'aws/codebuild/standard:7.0',
        EnvironmentVariables: Match.arrayWith([
          { Name: 'CDK_DISABLE_CLI_TELEMETRY', Type: 'PLAINTEXT', Value: 'true' },
          { Name: 'NODE_VERSION', Type: 'PLAINTEXT', Value: '22' },
        ]),
      }),
    });
  });
});

test('a Bitbucket repository gives a BITBUCKET source, without the reopen event Bitbucket lacks', () => {
  const template = buildTemplate({ provider: SourceProvider.BITBUCKET });
  template.hasResourceProperties('AWS::CodeBuild::Project', {
    Source: Match.objectLike({
      Type: 'BITBUCKET',
      Location: 'https://bitbucket.org/acme/orders.git',
      Auth: { Type: 'CODECONNECTIONS', Resource: CONNECTION_ARN },
    }),
    Triggers: Match.objectLike({
      FilterGroups: [[
        { Type: 'EVENT', Pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED' },
        { Type: 'BASE_REF', Pattern: '^refs/heads/main$' },
      ]],
    }),
  });
});

test('a GitLab repository gives a GITLAB source on gitlab.com', () => {
  const template = buildTemplate({ provider: SourceProvider.GITLAB });
  template.hasResourceProperties('AWS::CodeBuild::Project', {
    Source: Match.objectLike({
      Type: 'GITLAB',
      Location: 'https://gitlab.com/acme/orders.git',
      Auth: { Type: 'CODECONNECTIONS', Resource: CONNECTION_ARN },
      ReportBuildStatus: true,
    }),
  });
});

test('a GitHub Enterprise repository needs its clone URL', () => {
  expect(() => buildTemplate({ provider: SourceProvider.GITHUB_ENTERPRISE }))
    .toThrow(/^Invalid settings for PullRequestBuild:\n {2}- 'sourceRepository.repositoryUrl' is required with provider GITHUB_ENTERPRISE/);
  const template = buildTemplate({ provider: SourceProvider.GITHUB_ENTERPRISE, repositoryUrl: 'https://git.acme.example/acme/orders.git' });
  template.hasResourceProperties('AWS::CodeBuild::Project', {
    Source: Match.objectLike({ Type: 'GITHUB_ENTERPRISE', Location: 'https://git.acme.example/acme/orders.git' }),
  });
});

test('a branch name is matched literally, and the image can be chosen', () => {
  const template = buildTemplate({ branch: 'release/1.x' }, codebuild.LinuxBuildImage.STANDARD_6_0);
  template.hasResourceProperties('AWS::CodeBuild::Project', {
    Triggers: Match.objectLike({ FilterGroups: [Match.arrayWith([{ Type: 'BASE_REF', Pattern: '^refs/heads/release/1\\.x$' }])] }),
    Environment: Match.objectLike({ Image: 'aws/codebuild/standard:6.0' }),
  });
});

test('the repository name defaults to the service name, as in .projenrc.ts', () => {
  const template = buildTemplate({ name: undefined });
  template.hasResourceProperties('AWS::CodeBuild::Project', { Source: Match.objectLike({ Location: 'https://github.com/acme/orders.git' }) });
});
