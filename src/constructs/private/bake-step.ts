import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { alarmReaderRoleArn, stageAlarmNames } from './stage-alarms';

/**
 * Checks the alarms of a stage now, then once a minute for BAKE_MINUTES (0: only now), through
 * the stage's alarm reader role, and fails at the first one in ALARM. One shell line: CodeBuild
 * runs each command of a phase in the same shell, but a function must be defined where it is used.
 */
export const BAKE_SCRIPT = 'aws configure set profile.stage.role_arn "$ALARM_READER_ROLE_ARN" && '
  + 'aws configure set profile.stage.credential_source EcsContainer && '
  + 'check() { alarming=$(aws cloudwatch describe-alarms --profile stage --region "$STAGE_REGION" --alarm-names $ALARM_NAMES '
  + '--state-value ALARM --query "MetricAlarms[].AlarmName" --output text) || exit 1; '
  + 'if [ -n "$alarming" ] && [ "$alarming" != "None" ]; then echo "In ALARM: $alarming"; exit 1; fi; }; '
  + 'check; echo "No alarm of the stage is in ALARM"; for minute in $(seq 1 "$BAKE_MINUTES"); do sleep "${BAKE_INTERVAL_SECONDS:-60}"; check; '
  + 'echo "Bake time: minute $minute of $BAKE_MINUTES, no alarm"; done';

/** The stage whose alarms a step watches. */
export interface WatchedStage {
  readonly serviceName: string;
  readonly stageName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** A CodeBuild step that runs BAKE_SCRIPT over the stage's alarms for `minutes`. */
function alarmWatchStep(id: string, stage: WatchedStage, minutes: number): pipelines.CodeBuildStep {
  const roleArn = alarmReaderRoleArn(stage.partition, stage.account, stage.serviceName, stage.stageName);
  return new pipelines.CodeBuildStep(id, {
    commands: [BAKE_SCRIPT],
    env: {
      ALARM_READER_ROLE_ARN: roleArn,
      STAGE_REGION: stage.region,
      ALARM_NAMES: stageAlarmNames(stage.serviceName, stage.stageName).join(' '),
      BAKE_MINUTES: String(minutes),
    },
    rolePolicyStatements: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [roleArn] })],
    // The watch, plus the build's own start and finish.
    timeout: Duration.minutes(minutes + 10),
  });
}

/** The step after a stage's acceptance tests that waits `minutes` while its alarms stay out of ALARM. */
export function bakeStep(stage: WatchedStage, minutes: number): pipelines.CodeBuildStep {
  return alarmWatchStep('BakeTime', stage, minutes);
}

/** The step that checks once, now, that no alarm of the (previous) stage is in ALARM. */
export function alarmCheckStep(stage: WatchedStage): pipelines.CodeBuildStep {
  return alarmWatchStep('CheckAlarms', stage, 0);
}
