import * as fs from 'fs';
import { Testing } from 'projen';
import { serviceOptions } from './project-fixture';
import { ServerlessServiceProject, ServerlessServiceProjectOptions } from '../../src';

const badOptions: Array<[string, Partial<ServerlessServiceProjectOptions>, RegExp]> = [
  ['a short account id', { pipelineAccount: '12345' }, /'pipelineAccount' must be a 12-digit AWS account id, got "12345"/],
  ['a stage account with letters', { stages: [{ name: 'dev', account: '12345678901x' }] }, /'stages\[0\].account' must be a 12-digit AWS account id, got "12345678901x"/],
  ['a made-up region', { pipelineRegion: 'europe' }, /'pipelineRegion' must be an AWS region such as "eu-west-1", got "europe"/],
  ['a stage region in capitals', { stages: [{ name: 'dev', account: '123456789012', region: 'EU-WEST-1' }] }, /'stages\[0\].region' must be an AWS region/],
  ['two stages with one name', { stages: [{ name: 'dev', account: '123456789012' }, { name: 'Dev', account: '123456789013' }] }, /'stages\[1\].name' repeats the stage name "Dev"/],
  ['a stage name with a space', { stages: [{ name: 'pre prod', account: '123456789012' }] }, /'stages\[0\].name' must start with a letter .* got "pre prod"/],
  ['no stage at all', { stages: [] }, /'stages' must list at least one stage/],
  ['a GitHub URL as connection', { sourceRepository: { connectionArn: 'https://github.com/acme/orders' } }, /'sourceRepository.connectionArn' must be a connection ARN .* got "https:\/\/github.com\/acme\/orders"/],
  ['a branch with a space', { sourceRepository: { branch: 'my branch' } }, /'sourceRepository.branch' must be a valid git branch name, got "my branch"/],
  ['a service name in capitals', { serviceName: 'Orders' }, /'serviceName' must be 1 to 30 lower-case letters.*got "Orders"/],
  ['a stage with too little memory', { stages: [{ name: 'dev', account: '123456789012', memorySize: 64 }] }, /'stages\[0\].memorySize' must be a whole number of MiB from 128 to 10240, got 64/],
  ['a stage timeout past API Gateway\'s', { stages: [{ name: 'dev', account: '123456789012', timeoutSeconds: 60 }] }, /'stages\[0\].timeoutSeconds' must be a whole number from 1 to 29/],
  ['a log retention CloudWatch does not offer', { stages: [{ name: 'dev', account: '123456789012', logRetentionDays: 10 }] }, /'stages\[0\].logRetentionDays' must be a CloudWatch Logs retention/],
  ['a malformed email', { notifications: { emailSubscribers: ['oncall.example.com'] } }, /'notifications.emailSubscribers\[0\]' must be an email address, got "oncall.example.com"/],
  ['a Slack channel without its workspace', { notifications: { slackChannelId: 'C0456' } }, /'notifications.slackWorkspaceId' and 'notifications.slackChannelId' go together/],
  ['a stage name too long for resource names', { stages: [{ name: 'a-very-long-stage-name-x', account: '123456789012' }] }, /'stages\[0\].name' must start with a letter and hold at most 20/],
  ['a reserved environment variable', { environment: { SERVICE_NAME: 'x' } }, /'stages\[0\]\.environment\.SERVICE_NAME' must be a variable name/],
  ['a wildcard action', { functionPolicyStatements: [{ actions: ['*'], resources: ['*'] }] }, /'functionPolicyStatements\[0\].actions' must name actions as service:Action \(no bare "\*"\), got \["\*"\]/],
  ['a statement without resources', { functionPolicyStatements: [{ actions: ['s3:GetObject'], resources: [] }] }, /'functionPolicyStatements\[0\].resources' must list the ARNs/],
  ['two extra steps with one name', { stages: [{ name: 'dev', account: '123456789012', stepsBefore: [{ name: 'Migrate', commands: ['a'] }], stepsAfter: [{ name: 'Migrate', commands: ['b'] }] }] }, /'stages\[0\].stepsAfter\[0\].name' must be a name of letters, digits and hyphens, unique in the stage, got "Migrate"/],
  ['an extra step without commands', { stages: [{ name: 'dev', account: '123456789012', stepsAfter: [{ name: 'Smoke', commands: [] }] }] }, /'stages\[0\].stepsAfter\[0\].commands' must list at least one shell command/],
  ['GitHub Enterprise without its clone URL', { sourceRepository: { provider: 'GITHUB_ENTERPRISE' as any } }, /'sourceRepository.repositoryUrl' is required with provider GITHUB_ENTERPRISE/],
  ['a clone URL that is not HTTPS', { sourceRepository: { repositoryUrl: 'git@git.example.com:acme/orders.git' } }, /'sourceRepository.repositoryUrl' must be the repository's HTTPS clone URL.*got "git@git.example.com:acme\/orders.git"/],
  ['a repository name with a slash', { sourceRepository: { name: 'acme/orders' } }, /'sourceRepository.name' must be a repository name without slashes/],
  ['Cognito authorization without a user pool', { stages: [{ name: 'dev', account: '123456789012', authorization: 'COGNITO' as any }] }, /'stages\[0\].cognitoUserPoolArn' is required with authorization COGNITO/],
  ['a user pool without Cognito authorization', { stages: [{ name: 'dev', account: '123456789012', cognitoUserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123' }] }, /'stages\[0\].cognitoUserPoolArn' is only used with authorization COGNITO/],
  ['an unknown authorization', { stages: [{ name: 'dev', account: '123456789012', authorization: 'API_KEY' as any }] }, /'stages\[0\].authorization' must be one of NONE, IAM, COGNITO, got "API_KEY"/],
  ['a web ACL of another region', { stages: [{ name: 'dev', account: '123456789012', webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/orders/0f1e2d3c-aaaa-bbbb-cccc-111122223333' }] }, /'stages\[0\].webAclArn' is in eu-west-1, but the stage deploys to us-east-1/],
  ['a CloudFront web ACL on an API', { stages: [{ name: 'dev', account: '123456789012', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/orders/0f1e2d3c-aaaa-bbbb-cccc-111122223333' }] }, /'stages\[0\].webAclArn' must be the ARN of a regional WAF web ACL/],
];

describe('a bad option', () => {
  test.each(badOptions)('(%s) fails with a message naming it, and writes nothing', (_case, overrides, message) => {
    const options = serviceOptions(overrides);

    expect(() => new ServerlessServiceProject(options)).toThrow(message);
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });

  test('errors list every bad option at once and say where to fix them', () => {
    expect(() => new ServerlessServiceProject(serviceOptions({ pipelineAccount: '1', pipelineRegion: 'x' })))
      .toThrow(/^Invalid options for ServerlessServiceProject in \.projenrc\.ts \(nothing was written\):\n {2}- 'pipelineAccount'.*\n {2}- 'pipelineRegion'/);
  });
});

test('a stage without region deploys to the pipeline region', () => {
  const options = serviceOptions({ pipelineRegion: 'eu-west-1', stages: [{ name: 'dev', account: '123456789012' }] });
  const files = Testing.synth(new ServerlessServiceProject(options));
  expect(files['src/main.generated.ts']).toContain('"region": "eu-west-1"');
});
