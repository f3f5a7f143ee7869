import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { PullRequestBuild, PullRequestBuildProps, SourceProvider } from '../../src/constructs/pull-request-build';

const FLAGS = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));
const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/6f1f2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

function buildTemplate(props: Partial<PullRequestBuildProps> = {}): Template {
  const stack = new Stack(new App({ context: FLAGS }), 'orders-pipeline', { env: { account: '111111111111', region: 'eu-west-1' } });
  new PullRequestBuild(stack, 'PullRequests', {
    serviceName: 'orders', owner: 'acme', repository: 'orders', branch: 'main', connectionArn: CONNECTION_ARN, ...props,
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
    const buildSpec = project(template).Properties.Source.BuildSpec;
    expect(buildSpec === undefined || buildSpec === 'buildspec.yml').toBe(true);
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
  expect(() => buildTemplate({ provider: SourceProvider.GITHUB_ENTERPRISE })).toThrow(/GITHUB_ENTERPRISE repository needs repositoryUrl/);
  const template = buildTemplate({ provider: SourceProvider.GITHUB_ENTERPRISE, repositoryUrl: 'https://git.acme.example/acme/orders.git' });
  template.hasResourceProperties('AWS::CodeBuild::Project', {
    Source: Match.objectLike({ Type: 'GITHUB_ENTERPRISE', Location: 'https://git.acme.example/acme/orders.git' }),
  });
});

test('a branch name is matched literally, and the image and Node version can be chosen', () => {
  const template = buildTemplate({ branch: 'release/1.x', nodeVersion: '20', buildImage: codebuild.LinuxBuildImage.STANDARD_6_0 });
  template.hasResourceProperties('AWS::CodeBuild::Project', {
    Triggers: Match.objectLike({ FilterGroups: [Match.arrayWith([{ Type: 'BASE_REF', Pattern: '^refs/heads/release/1\\.x$' }])] }),
    Environment: Match.objectLike({
      Image: 'aws/codebuild/standard:6.0',
      EnvironmentVariables: Match.arrayWith([{ Name: 'NODE_VERSION', Type: 'PLAINTEXT', Value: '20' }]),
    }),
  });
});
