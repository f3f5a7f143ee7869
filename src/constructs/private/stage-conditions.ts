import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import { alarmReaderRoleArn, stageAlarmNames } from './stage-alarms';
import { ResolvedStage } from '../../settings/resolve';

const rule = (provider: string) => ({ Category: 'Rule', Owner: 'AWS', Provider: provider, Version: '1' });

/**
 * What CodePipeline (V2) checks around each stage, written into the pipeline CDK Pipelines built
 * (it has no API for stage conditions): a failed stage rolls back to its last successful
 * execution; a stage is entered only inside its deployment window, and only while no alarm of
 * the previous stage is in ALARM (through that stage's alarm reader role, in its own account).
 */
export function addStageConditions(pipeline: codepipeline.Pipeline, serviceName: string, stages: ResolvedStage[], partition: string): void {
  const cfnPipeline = pipeline.node.defaultChild as codepipeline.CfnPipeline;
  stages.forEach((stage, i) => {
    const index = pipeline.stages.findIndex((s) => s.stageName === stage.name);
    if (index < 0) throw new Error(`The pipeline has no stage ${stage.name}.`);
    cfnPipeline.addPropertyOverride(`Stages.${index}.OnFailure`, { Result: 'ROLLBACK' });

    const conditions: object[] = [];
    if (stage.deploymentWindow) {
      conditions.push({
        Result: 'FAIL',
        Rules: [{
          Name: `${stage.name}-deployment-window`,
          RuleTypeId: rule('DeploymentWindow'),
          Configuration: { Cron: stage.deploymentWindow.cron, TimeZone: stage.deploymentWindow.timeZone },
        }],
      });
    }
    if (stage.previousStageAlarmGate) {
      const previous = stages[i - 1];
      const roleArn = alarmReaderRoleArn(partition, previous.account, serviceName, previous.name);
      // A condition of its own: AWS checks an alarm rule beside a deployment window only once, before the window opens.
      conditions.push({
        Result: 'FAIL',
        Rules: stageAlarmNames(serviceName, previous.name).map((alarmName) => ({
          Name: alarmName,
          RuleTypeId: rule('CloudWatchAlarm'),
          Configuration: { AlarmName: alarmName, AlarmStates: 'ALARM' },
          Region: previous.region,
          RoleArn: roleArn,
        })),
      });
      pipeline.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [roleArn] }));
    }
    if (conditions.length > 0) cfnPipeline.addPropertyOverride(`Stages.${index}.BeforeEntry`, { Conditions: conditions });
  });
}
