import { Duration } from 'aws-cdk-lib';
import { ApiAuthorization, DeploymentStrategy, StageProfile } from '../../src';
import { resolveStageSettings } from '../../src/constructs/private/stage-settings';

describe('stage settings', () => {
  test('a stage without a profile gets the strictest: production', () => {
    expect(resolveStageSettings({}).profile).toBe(StageProfile.PRODUCTION);
  });

  test('the burst limit defaults to twice the rate limit', () => {
    expect(resolveStageSettings({ throttlingRateLimit: 30 }).throttlingBurstLimit).toBe(60);
  });

  test('the timeout is in seconds', () => {
    expect(resolveStageSettings({ timeoutSeconds: 20 }).timeout.toSeconds()).toBe(Duration.seconds(20).toSeconds());
  });

  test.each([
    [{ memorySize: 64 }, /'dev.memorySize' must be a whole number of MiB from 128 to 10240, got 64/],
    [{ timeoutSeconds: 30 }, /'dev.timeoutSeconds' must be a whole number from 1 to 29 \(API Gateway stops waiting at 29\), got 30/],
    [{ logRetentionDays: 10 }, /'dev.logRetentionDays' must be a CloudWatch Logs retention such as 7, 14, 30, 90, 365, got 10/],
    [{ reservedConcurrency: 0 }, /'dev.reservedConcurrency' must be a whole number of at least 1, got 0/],
    [{ provisionedConcurrency: 0 }, /'dev.provisionedConcurrency' must be a whole number of at least 1, got 0; remove it for no provisioned concurrency/],
    [{ provisionedConcurrency: 2.5 }, /'dev.provisionedConcurrency' must be a whole number of at least 1, got 2.5/],
    [{ reservedConcurrency: 10, provisionedConcurrency: 10 },
      /'dev.provisionedConcurrency' \(10\) must be less than 'dev.reservedConcurrency' \(10\): .*the pre-traffic hook's call of each new version too\. Raise reservedConcurrency or lower provisionedConcurrency/],
    [{ reservedConcurrency: 5, provisionedConcurrency: 8 }, /'dev.provisionedConcurrency' \(8\) must be less than 'dev.reservedConcurrency' \(5\)/],
    [{ throttlingRateLimit: 0 }, /'dev.throttlingRateLimit' must be above 0, got 0/],
    [{ deploymentStrategy: 'BLUE_GREEN' as DeploymentStrategy }, /'dev.deploymentStrategy' must be one of ALL_AT_ONCE, .* got "BLUE_GREEN"/],
    [{ profile: 'QA' as StageProfile }, /'dev.profile' must be one of DEVELOPMENT, PRE_PRODUCTION, PRODUCTION, got "QA"/],
  ])('%o is refused with a message naming the setting', (props, message) => {
    expect(() => resolveStageSettings(props, 'dev.')).toThrow(message);
  });

  test('provisioned concurrency is none unless asked, and may stand alone or below the reserved', () => {
    expect(resolveStageSettings({}).provisionedConcurrency).toBeUndefined();
    expect(resolveStageSettings({ provisionedConcurrency: 50 }).provisionedConcurrency).toBe(50);
    expect(resolveStageSettings({ reservedConcurrency: 10, provisionedConcurrency: 9 }, 'dev.')).toMatchObject({ reservedConcurrency: 10, provisionedConcurrency: 9 });
  });

  test('an API is open unless the stage says otherwise', () => {
    expect(resolveStageSettings({})).toMatchObject({ authorization: ApiAuthorization.NONE, cognitoUserPoolArn: undefined, webAclArn: undefined });
  });

  const POOL = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';
  const WEB_ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/orders/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

  test('COGNITO with a user pool, and a regional web ACL of the stage\'s region, are accepted', () => {
    expect(resolveStageSettings({ authorization: ApiAuthorization.COGNITO, cognitoUserPoolArn: POOL, webAclArn: WEB_ACL }, 'dev.', 'eu-west-1'))
      .toMatchObject({ authorization: ApiAuthorization.COGNITO, cognitoUserPoolArn: POOL, webAclArn: WEB_ACL });
  });

  test.each([
    [{ authorization: 'OAUTH' as ApiAuthorization }, /'dev.authorization' must be one of NONE, IAM, COGNITO, got "OAUTH"/],
    [{ authorization: ApiAuthorization.COGNITO }, /'dev.cognitoUserPoolArn' is required with authorization COGNITO/],
    [{ authorization: ApiAuthorization.IAM, cognitoUserPoolArn: POOL }, /'dev.cognitoUserPoolArn' is only used with authorization COGNITO/],
    [{ authorization: ApiAuthorization.COGNITO, cognitoUserPoolArn: 'eu-west-1_AbCdEf123' },
      /'dev.cognitoUserPoolArn' must be a user pool ARN such as arn:aws:cognito-idp:.*, got "eu-west-1_AbCdEf123"/],
    [{ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/orders/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' },
      /'dev.webAclArn' must be the ARN of a regional WAF web ACL .*CloudFront's global ACLs cannot protect an API stage/],
    [{ webAclArn: WEB_ACL.replace('eu-west-1', 'eu-central-1') },
      /'dev.webAclArn' is in eu-central-1, but the stage deploys to eu-west-1: a web ACL protects APIs of its own region only/],
  ])('API protection %o is refused with a message naming the setting', (props, message) => {
    expect(() => resolveStageSettings(props, 'dev.', 'eu-west-1')).toThrow(message);
  });
});
