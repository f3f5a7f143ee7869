import { Duration } from 'aws-cdk-lib';
import { DeploymentStrategy, StageProfile } from '../../src';
import { resolveStageSettings } from '../../src/constructs/private/resolve-stage-settings';

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
    [{ throttlingRateLimit: 0 }, /'dev.throttlingRateLimit' must be above 0, got 0/],
    [{ deploymentStrategy: 'BLUE_GREEN' as DeploymentStrategy }, /'dev.deploymentStrategy' must be one of ALL_AT_ONCE, .* got "BLUE_GREEN"/],
    [{ profile: 'QA' as StageProfile }, /'dev.profile' must be one of DEVELOPMENT, PRE_PRODUCTION, PRODUCTION, got "QA"/],
  ])('%o is refused with a message naming the setting', (props, message) => {
    expect(() => resolveStageSettings(props, 'dev.')).toThrow(message);
  });
});
