import * as fs from 'fs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { javascript } from 'projen';
import { ServerlessServiceProject, ServerlessServiceProjectOptions, ServicePipelineStack } from '../../src';
import { LOG_RETENTION_DAYS } from '../../src/settings/problems';
import { HANDLER_BUNDLE, serviceApp } from '../helpers/pipeline';
import { serviceOptions, synthInPlace } from '../helpers/project';

const badOptions: Array<[string, Partial<ServerlessServiceProjectOptions>, RegExp]> = [
  ['a short account id', { pipelineAccount: '12345' }, /'pipelineAccount' must be a 12-digit AWS account id, got "12345"/],
  ['a stage account with letters', { stages: [{ name: 'dev', account: '12345678901x' }] }, /'stages\[0\].account' must be a 12-digit AWS account id, got "12345678901x"/],
  ['a made-up region', { pipelineRegion: 'europe' }, /'pipelineRegion' must be an AWS region such as "eu-west-1", got "europe"/],
  ['a stage region in capitals', { stages: [{ name: 'dev', account: '123456789012', region: 'EU-WEST-1' }] }, /'stages\[0\].region' must be an AWS region/],
  ['two stages with one name', { stages: [{ name: 'dev', account: '123456789012' }, { name: 'Dev', account: '123456789013' }] }, /'stages\[1\].name' repeats the stage name "Dev"/],
  ['a stage named like the pipeline\'s own approval stage', { stages: [{ name: 'Approve-prod', account: '123456789012' }] }, /'stages\[0\].name' "Approve-prod" is a name the pipeline gives its own stages/],
  ['a stage named Build', { stages: [{ name: 'build', account: '123456789012' }] }, /'stages\[0\].name' "build" is a name the pipeline gives its own stages/],
  ['a stage named like a preview', { stages: [{ name: 'pr-7', account: '123456789012' }] }, /'stages\[0\].name' "pr-7" starts like the stacks of previews and sandboxes/],
  ['a stage named like a sandbox', { stages: [{ name: 'sandbox-qa', account: '123456789012' }] }, /'stages\[0\].name' "sandbox-qa" starts like the stacks of previews and sandboxes/],
  ['a service named like another service\'s preview', { serviceName: 'orders-pr-7' }, /'serviceName' "orders-pr-7" holds "-pr-<digit>" or "-sandbox"/],
  ['a service named like another service\'s sandboxes', { serviceName: 'orders-sandbox' }, /'serviceName' "orders-sandbox" holds "-pr-<digit>" or "-sandbox"/],
  ['previews without a development stage', { previews: { enabled: true }, stages: [{ name: 'prod', account: '123456789012' }] }, /'previews.enabled' is true but no stage has the DEVELOPMENT profile/],
  ['a preview cap of zero', { previews: { maxConcurrent: 0 } }, /'previews.maxConcurrent' must be a whole number from 1 to 100, got 0/],
  ['a preview age in fractions', { previews: { maxAgeDays: 1.5 } }, /'previews.maxAgeDays' must be a whole number of days from 1 to 90, got 1.5/],
  ['a stage name with a space', { stages: [{ name: 'pre prod', account: '123456789012' }] }, /'stages\[0\].name' must start with a letter .* got "pre prod"/],
  ['no stage at all', { stages: [] }, /'stages' must list at least one stage/],
  ['a GitHub URL as connection', { sourceRepository: { connectionArn: 'https://github.com/acme/orders' } }, /'sourceRepository.connectionArn' must be a connection ARN .* got "https:\/\/github.com\/acme\/orders"/],
  ['a branch with a space', { sourceRepository: { branch: 'my branch' } }, /'sourceRepository.branch' must be a valid git branch name, got "my branch"/],
  ['a service name in capitals', { serviceName: 'Orders' }, /'serviceName' must be 1 to 30 lower-case letters.*got "Orders"/],
  ['a stage with too little memory', { stages: [{ name: 'dev', account: '123456789012', memorySize: 64 }] }, /'stages\[0\].memorySize' must be a whole number of MiB from 128 to 10240, got 64/],
  ['a stage timeout past API Gateway\'s', { stages: [{ name: 'dev', account: '123456789012', timeoutSeconds: 60 }] }, /'stages\[0\].timeoutSeconds' must be a whole number from 1 to 29/],
  ['provisioned concurrency of zero', { stages: [{ name: 'dev', account: '123456789012', provisionedConcurrency: 0 }] },
    /'stages\[0\].provisionedConcurrency' must be a whole number of at least 1, got 0/],
  ['provisioned concurrency as large as the reserved', { stages: [{ name: 'dev', account: '123456789012', reservedConcurrency: 10, provisionedConcurrency: 10 }] },
    /'stages\[0\].provisionedConcurrency' \(10\) must be less than 'stages\[0\].reservedConcurrency' \(10\)/],
  ['a log retention CloudWatch does not offer', { stages: [{ name: 'dev', account: '123456789012', logRetentionDays: 10 }] }, /'stages\[0\].logRetentionDays' must be a CloudWatch Logs retention/],
  ['a malformed email', { notifications: { emailSubscribers: ['oncall.example.com'] } }, /'notifications.emailSubscribers\[0\]' must be an email address, got "oncall.example.com"/],
  ['a Slack channel without its workspace', { notifications: { slackChannelId: 'C0456' } }, /'notifications.slackWorkspaceId' and 'notifications.slackChannelId' go together/],
  ['a stage name too long for resource names', { stages: [{ name: 'a-very-long-stage-name-x', account: '123456789012' }] }, /'stages\[0\].name' must start with a letter and hold at most 20/],
  ['a reserved environment variable', { environment: { SERVICE_NAME: 'x' } }, /'stages\[0\]\.environment\.SERVICE_NAME' must be a variable name/],
  ['a wildcard action', { functionPolicyStatements: [{ actions: ['*'], resources: ['*'] }] }, /'functionPolicyStatements\[0\].actions' must name actions as service:Action \(no bare "\*"\), got \["\*"\]/],
  ['a statement that would escape the permissions boundary', { functionPolicyStatements: [{ actions: ['s3:GetObject', 'iam:PassRole', 'sts:*'], resources: ['*'] }] },
    /'functionPolicyStatements\[0\].actions' asks for iam:PassRole, sts:\*, outside the permissions boundary of every role of a service/],
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
  ['a health path without its leading slash', { healthPath: 'api/health' }, /'healthPath' must be a URL path starting with "\/", without query or fragment, got "api\/health"/],
  ['an unknown source provider', { sourceRepository: { provider: 'CODECOMMIT' as any } }, /'sourceRepository.provider' must be one of GITHUB, GITHUB_ENTERPRISE, BITBUCKET, GITLAB, got "CODECOMMIT"/],
  ['a drift detection every five minutes', { stages: [{ name: 'dev', account: '123456789012', driftDetectionSchedule: 'rate(5 minutes)' }] },
    /'stages\[0\].driftDetectionSchedule' must be "off" or an EventBridge Scheduler expression running at most hourly: rate\(N hours\) or rate\(N days\), .* got "rate\(5 minutes\)"/],
  ['a drift detection cron of five fields', { stages: [{ name: 'dev', account: '123456789012', driftDetectionSchedule: 'cron(0 6 * * ?)' }] },
    /'stages\[0\].driftDetectionSchedule' must be "off" or an EventBridge Scheduler expression .* such as "cron\(0 6 \? \* MON-FRI \*\)" \(UTC\), got "cron\(0 6 \* \* \?\)"/],
  ['a latency threshold of zero', { stages: [{ name: 'dev', account: '123456789012', latencyAlarmThresholdMs: 0 }] }, /'stages\[0\].latencyAlarmThresholdMs' must be above 0, got 0/],
  ['a deployment window with five cron fields', { stages: [{ name: 'dev', account: '123456789012', deploymentWindow: { cron: '0 9-16 ? * MON-THU' } }] },
    /'stages\[0\].deploymentWindow.cron' must be CodePipeline's cron expression: seconds \(\*\), minutes, hours, .* got "0 9-16 \? \* MON-THU"/],
  ['a deployment window in a made-up time zone', { stages: [{ name: 'dev', account: '123456789012', deploymentWindow: { cron: '* * 9-16 ? * MON-THU', timeZone: 'Europe/Atlantis' } }] },
    /'stages\[0\].deploymentWindow.timeZone' must be an IANA time zone such as "Europe\/Berlin", or "UTC", got "Europe\/Atlantis"/],
  ['a bake time of three hours', { stages: [{ name: 'dev', account: '123456789012', bakeTimeMinutes: 180 }] },
    /'stages\[0\].bakeTimeMinutes' must be a whole number of minutes from 1 to 120, got 180/],
  ['a registry that is both CodeArtifact and an npm URL', {
    packageRegistry: {
      codeArtifact: { domain: 'platform', domainOwner: '999999999999', repository: 'npm' }, npmRegistryUrl: 'https://npm.example.com/', npmTokenSecretArn: 'x',
    },
  }, /'packageRegistry' must give either codeArtifact \(domain, domainOwner, repository\) or npmRegistryUrl with npmTokenSecretArn, not both or neither/],
  ['a CodeArtifact domain owned by no account', { packageRegistry: { codeArtifact: { domain: 'platform', domainOwner: 'platform-team', repository: 'npm' } } },
    /'packageRegistry.codeArtifact.domainOwner' must be the 12-digit AWS account id that owns the domain, got "platform-team"/],
  ['an npm registry without its token', { packageRegistry: { npmRegistryUrl: 'https://npm.example.com/private/' } },
    /'packageRegistry.npmTokenSecretArn' must be the ARN of the Secrets Manager secret holding the registry's token, got "undefined"/],
  ['an npm scope without its @', { packageRegistry: { codeArtifact: { domain: 'platform', domainOwner: '999999999999', repository: 'npm' }, scope: 'org' } },
    /'packageRegistry.scope' must be an npm scope such as "@org", got "org"/],
  ['a CloudFront web ACL on an API', { stages: [{ name: 'dev', account: '123456789012', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/orders/0f1e2d3c-aaaa-bbbb-cccc-111122223333' }] }, /'stages\[0\].webAclArn' must be the ARN of a regional WAF web ACL/],
];

/** Options of projen's that the project type decides itself, or could not honour. */
const refusedOptions: Array<[string, Partial<ServerlessServiceProjectOptions>, RegExp]> = [
  ['appEntrypoint', { appEntrypoint: 'app.ts' }, /'appEntrypoint' cannot be set in a serverless service \(it is always "main.generated.ts"\): the CDK app is the generated src\/main.generated.ts; add your own resources and steps in src\/extend.ts\. Remove it from \.projenrc\.ts\./],
  ['app', { app: 'npx ts-node src/other.ts' }, /'app' cannot be set in a serverless service: cdk.json runs the generated CDK app/],
  ['sampleCode', { sampleCode: false }, /'sampleCode' cannot be set in a serverless service: the template's sample files are written once and are yours/],
  ['readme', { readme: { contents: '# Orders' } }, /'readme' cannot be set in a serverless service: README.md is written once from the template and is yours/],
  ['packageManager', { packageManager: javascript.NodePackageManager.PNPM }, /'packageManager' cannot be set in a serverless service \(it is always "npm"\): the tasks, buildspec.yml and the pipeline install with npm ci/],
  ['srcdir', { srcdir: 'lib' }, /'srcdir' cannot be set in a serverless service \(it is always "src"\)/],
  ['testdir', { testdir: 'tests' }, /'testdir' cannot be set in a serverless service \(it is always "test"\)/],
  ['cdkout', { cdkout: 'out' }, /'cdkout' cannot be set in a serverless service \(it is always "cdk.out"\)/],
];

/** Misspelt option names: .projenrc.ts runs without a type-check, so only this catches them. */
const misspeltOptions: Array<[string, Record<string, unknown>, RegExp]> = [
  ['a top-level option', { pipelineAcount: '123456789012' }, /'pipelineAcount' is not an option of ServerlessServiceProjectOptions: did you mean 'pipelineAccount'\?/],
  ['a stage field', { stages: [{ name: 'dev', acount: '123456789012', account: '123456789012' }] }, /'stages\[0\].acount' is not an option of DeploymentStageOptions: did you mean 'account'\?/],
  ['a source field', { sourceRepository: { ownr: 'acme' } }, /'sourceRepository.ownr' is not an option of SourceRepositoryOptions: did you mean 'owner'\?/],
  ['an extra step field', { stages: [{ name: 'dev', account: '123456789012', stepsAfter: [{ name: 'Smoke', command: ['x'], commands: ['x'] }] }] },
    /'stages\[0\].stepsAfter\[0\].command' is not an option of PipelineStepProps: did you mean 'commands'\?/],
  ['a projen option', { defaultReleaseBrnch: 'main' }, /'defaultReleaseBrnch' is not an option of ServerlessServiceProjectOptions: did you mean 'defaultReleaseBranch'\?/],
];

describe('a bad option', () => {
  test.each(badOptions)('(%s) fails with a message naming it, and writes nothing', (_case, overrides, message) => {
    const options = serviceOptions(overrides);

    expect(() => new ServerlessServiceProject(options)).toThrow(message);
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });

  test.each(refusedOptions)('(%s, inherited from projen) is refused before any file is written, saying what to do instead', (_case, overrides, message) => {
    const options = serviceOptions(overrides);

    expect(() => new ServerlessServiceProject(options)).toThrow(message);
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });

  test('an inherited option set to the value the type uses is accepted', () => {
    expect(() => new ServerlessServiceProject(serviceOptions({ packageManager: javascript.NodePackageManager.NPM, srcdir: 'src', cdkout: 'cdk.out' })))
      .not.toThrow();
  });

  test.each(misspeltOptions)('(misspelt: %s) is refused, naming the closest valid option', (_case, overrides, message) => {
    const options = serviceOptions(overrides as Partial<ServerlessServiceProjectOptions>);

    expect(() => new ServerlessServiceProject(options)).toThrow(message);
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });

  test('errors list every bad option at once and say where to fix them', () => {
    expect(() => new ServerlessServiceProject(serviceOptions({ pipelineAccount: '1', pipelineRegion: 'x' })))
      .toThrow(/^Invalid options for ServerlessServiceProject in \.projenrc\.ts \(nothing was written\):\n {2}- 'pipelineAccount'.*\n {2}- 'pipelineRegion'/);
  });
});

describe('ServicePipelineStack used directly', () => {
  /** The problem lines of an error, without the heading that says who found them. */
  const problemsOf = (make: () => unknown): string[] => {
    try {
      make();
    } catch (error) {
      return (error as Error).message.split('\n').slice(1);
    }
    throw new Error('no error was thrown');
  };

  test.each(badOptions)('rejects the same bad settings (%s) with the same messages as .projenrc.ts', (_case, overrides) => {
    const fromProject = problemsOf(() => new ServerlessServiceProject(serviceOptions(overrides)));
    const fromStack = problemsOf(() => new ServicePipelineStack(serviceApp(), 'orders-pipeline', {
      serviceName: 'orders', ...overrides, lambdaCodePath: HANDLER_BUNDLE,
    }));

    expect(fromStack.length).toBeGreaterThan(0);
    expect(fromStack).toEqual(fromProject);
  });

  test('refuses an env that contradicts pipelineAccount', () => {
    expect(() => new ServicePipelineStack(serviceApp(), 'orders-pipeline', {
      serviceName: 'orders', pipelineAccount: '123456789012', env: { account: '210987654321', region: 'us-east-1' }, lambdaCodePath: HANDLER_BUNDLE,
    })).toThrow(/'pipelineAccount' is "123456789012" but env.account is "210987654321": give one of them, or the same value\./);
  });
});

test('a stage without region deploys to the pipeline region', () => {
  const options = serviceOptions({ pipelineRegion: 'eu-west-1', stages: [{ name: 'dev', account: '123456789012' }] });
  synthInPlace(options);
  expect(fs.readFileSync(`${options.outdir}/docs/pipeline.md`, 'utf8')).toContain('| 1 | dev | 123456789012 | eu-west-1 |');
  const stack = new ServicePipelineStack(serviceApp(), 'orders-pipeline', {
    ...ServicePipelineStack.readSettings(`${options.outdir}/src/service-settings.generated.json`), lambdaCodePath: HANDLER_BUNDLE,
  });
  expect(stack.serviceStages[0].serviceStack.region).toBe('eu-west-1');
});

test('the log retention periods accepted are exactly those CloudWatch Logs offers (aws-logs RetentionDays)', () => {
  const offered = Object.values(logs.RetentionDays).filter((days): days is number => typeof days === 'number');
  expect([...LOG_RETENTION_DAYS].sort((a, b) => a - b)).toEqual(offered.sort((a, b) => a - b));
});
