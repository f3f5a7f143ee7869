import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import { alarmReaderRoleArn, stageAlarmNames } from './stage-alarms';
import { enforceStageConditionLimits } from './stage-condition-limits';
import { ResolvedStage } from '../../settings/resolve';

const rule = (provider: string) => ({ Category: 'Rule', Owner: 'AWS', Provider: provider, Version: '1' });

/** The pipeline stage that holds a service stage's manual approval, right before it. */
export function approvalStageName(stageName: string): string {
  return `Approve-${stageName}`;
}

/**
 * The pipeline stage that waits for a service stage's deployment window, right before it, when
 * the stage also has an alarm gate: AWS documents that an alarm rule beside a window rule in one
 * condition is checked before the window opens and never again, so the window is waited for here
 * and the alarms are checked at the service stage's own entry, after it.
 */
export function windowStageName(stageName: string): string {
  return `Window-${stageName}`;
}

/** Whether a stage needs its own window stage before it (see `windowStageName`). */
export function needsWindowStage(stage: ResolvedStage): boolean {
  return stage.deploymentWindow !== undefined && stage.previousStageAlarmGate;
}

function windowRule(stage: ResolvedStage): object {
  return {
    Name: `${stage.name}-deployment-window`,
    RuleTypeId: rule('DeploymentWindow'),
    Configuration: { Cron: stage.deploymentWindow!.cron, TimeZone: stage.deploymentWindow!.timeZone },
  };
}

/**
 * What CodePipeline (V2) checks around each stage, written into the pipeline CDK Pipelines built
 * (it has no API for stage conditions). A failed service stage rolls back to its last successful
 * execution. Its entry has one condition (CodePipeline takes exactly one, of at most five rules):
 * its deployment window, and no alarm of the previous stage in ALARM (read through that stage's
 * alarm reader role, in its own account). The approval and window stages before it never roll
 * back: a rejected approval or a failed check stops the release before anything is deployed.
 */
export function addStageConditions(pipeline: codepipeline.Pipeline, serviceName: string, stages: ResolvedStage[], partition: string): void {
  const cfnPipeline = pipeline.node.defaultChild as codepipeline.CfnPipeline;
  const indexOf = (name: string) => {
    const index = pipeline.stages.findIndex((s) => s.stageName === name);
    if (index < 0) throw new Error(`The pipeline has no stage ${name}.`);
    return index;
  };
  const enterOnlyIf = (stageName: string, rules: object[]) => {
    if (rules.length > 0) cfnPipeline.addPropertyOverride(`Stages.${indexOf(stageName)}.BeforeEntry`, { Conditions: [{ Result: 'FAIL', Rules: rules }] });
  };

  stages.forEach((stage, i) => {
    cfnPipeline.addPropertyOverride(`Stages.${indexOf(stage.name)}.OnFailure`, { Result: 'ROLLBACK' });
    const rules: object[] = stage.deploymentWindow ? [windowRule(stage)] : [];
    if (stage.previousStageAlarmGate) {
      const previous = stages[i - 1];
      const roleArn = alarmReaderRoleArn(partition, previous.account, serviceName, previous.name);
      rules.push(...stageAlarmNames(serviceName, previous.name).map((alarmName) => ({
        Name: alarmName,
        RuleTypeId: rule('CloudWatchAlarm'),
        Configuration: { AlarmName: alarmName, AlarmStates: 'ALARM' },
        Region: previous.region,
        RoleArn: roleArn,
      })));
      pipeline.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [roleArn] }));
    }
    if (needsWindowStage(stage)) enterOnlyIf(windowStageName(stage.name), [windowRule(stage)]);
    enterOnlyIf(stage.name, rules);
  });
  enforceStageConditionLimits(cfnPipeline);
}
