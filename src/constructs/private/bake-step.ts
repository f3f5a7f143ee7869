import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { alarmReaderRoleArn, stageAlarmNames } from './stage-alarms';

/**
 * Watches the alarms of the stage once a minute for BAKE_MINUTES, through the stage's alarm
 * reader role, and fails at the first one in ALARM. One shell line: CodeBuild runs each command
 * of a phase in the same shell, but a function must be defined where it is used.
 */
export const BAKE_SCRIPT = 'aws configure set profile.stage.role_arn "$ALARM_READER_ROLE_ARN" && '
  + 'aws configure set profile.stage.credential_source EcsContainer && '
  + 'check() { alarming=$(aws cloudwatch describe-alarms --profile stage --region "$STAGE_REGION" --alarm-names $ALARM_NAMES '
  + '--state-value ALARM --query "MetricAlarms[].AlarmName" --output text) || exit 1; '
  + 'if [ -n "$alarming" ] && [ "$alarming" != "None" ]; then echo "In ALARM during the bake time: $alarming"; exit 1; fi; }; '
  + 'check; for minute in $(seq 1 "$BAKE_MINUTES"); do sleep "${BAKE_INTERVAL_SECONDS:-60}"; check; '
  + 'echo "Bake time: minute $minute of $BAKE_MINUTES, no alarm"; done';

export interface BakeStepProps {
  readonly serviceName: string;
  readonly stageName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly minutes: number;
}

/** The step after a stage's acceptance tests that waits `minutes` while its alarms stay out of ALARM. */
export function bakeStep(props: BakeStepProps): pipelines.CodeBuildStep {
  const roleArn = alarmReaderRoleArn(props.partition, props.account, props.serviceName, props.stageName);
  return new pipelines.CodeBuildStep('BakeTime', {
    commands: [BAKE_SCRIPT],
    env: {
      ALARM_READER_ROLE_ARN: roleArn,
      STAGE_REGION: props.region,
      ALARM_NAMES: stageAlarmNames(props.serviceName, props.stageName).join(' '),
      BAKE_MINUTES: String(props.minutes),
    },
    rolePolicyStatements: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [roleArn] })],
    // The watch, plus the build's own start and finish.
    timeout: Duration.minutes(props.minutes + 10),
  });
}
