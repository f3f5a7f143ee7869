import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { settingsError, stageSettingsProblems } from '../../settings/problems';
import { StageValues, stageValues } from '../../settings/stage-defaults';
import { StageSettingsProps } from '../../settings/stage-settings';

/** A stage's settings with every default applied, the durations and retention in CDK types. */
export interface ResolvedStageSettings extends Omit<StageValues, 'timeoutSeconds' | 'logRetentionDays' | 'latencyAlarmThresholdMs'> {
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly latencyAlarmThreshold: Duration;
}

/**
 * A stage's settings with the profile's defaults applied, in CDK types; throws every problem
 * `stageSettingsProblems` finds (`optionPrefix` names the stage, `region` is its region when known).
 */
export function resolveStageSettings(props: StageSettingsProps = {}, optionPrefix = '', region?: string): ResolvedStageSettings {
  // A stack without an env has a token for a region: no region to compare a web ACL's with.
  const problems = stageSettingsProblems(props, optionPrefix, region !== undefined && Token.isUnresolved(region) ? undefined : region);
  if (problems.length > 0) throw settingsError(`Invalid stage settings${optionPrefix ? ` (${optionPrefix.replace(/\.$/, '')})` : ''}:`, problems);
  const values = stageValues(props)!;
  return {
    ...values,
    timeout: Duration.seconds(values.timeoutSeconds),
    logRetention: values.logRetentionDays as logs.RetentionDays,
    latencyAlarmThreshold: Duration.millis(values.latencyAlarmThresholdMs),
  };
}
