import { CfnOutput } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { IServiceExtension, ServiceStage } from '../../src';
import { resolveStageSettings } from '../../src/constructs/private/stage-settings';
import { pipelineStack, serviceFunctionOf, THREE_STAGES } from '../helpers/pipeline';
import { pipelineStagesOf } from '../helpers/pipeline-structure';

const serviceFunction = serviceFunctionOf;

describe('customising a service without editing generated files', () => {
  test('service-wide environment variables reach every stage; a stage\'s own win', () => {
    const stack = pipelineStack([
      { ...THREE_STAGES[0], environment: { TABLE_NAME: 'orders-dev' } },
      THREE_STAGES[2],
    ], undefined, { environment: { TABLE_NAME: 'orders', FEATURE_X: 'on' } });
    const [dev, prod] = stack.serviceStages.map((s) => serviceFunction(Template.fromStack(s.serviceStack)).Environment.Variables);
    expect(dev).toMatchObject({ TABLE_NAME: 'orders-dev', FEATURE_X: 'on', SERVICE_NAME: 'orders' });
    expect(prod).toMatchObject({ TABLE_NAME: 'orders', FEATURE_X: 'on' });
  });

  test('a variable the service or Lambda reserves is refused', () => {
    expect(() => resolveStageSettings({ environment: { SERVICE_NAME: 'x' } }, 'stages[0].'))
      .toThrow(/'stages\[0\]\.environment\.SERVICE_NAME' must be a variable name .* that neither the service nor Lambda reserves/);
    expect(() => resolveStageSettings({ environment: { AWS_REGION: 'x' } })).toThrow(/environment\.AWS_REGION/);
  });

  test('extra policy statements are granted to the function, exactly as given', () => {
    const stack = pipelineStack(undefined, undefined, {
      functionPolicyStatements: [{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: ['arn:aws:dynamodb:eu-west-1:222222222222:table/orders'] }],
    });
    Template.fromStack(stack.serviceStages[0].serviceStack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          Effect: 'Allow',
          Resource: 'arn:aws:dynamodb:eu-west-1:222222222222:table/orders',
        }]),
      },
    });
  });

  test('extra steps run after the approval and before the deploy, or after the acceptance tests', () => {
    const stack = pipelineStack([
      THREE_STAGES[0],
      { ...THREE_STAGES[2], stepsBefore: [{ name: 'Migrate', commands: ['npm run migrate'] }], stepsAfter: [{ name: 'SmokeTests', commands: ['npm run smoke'] }] },
    ]);
    const stages = pipelineStagesOf(Template.fromStack(stack).toJSON() as any);
    const prod = stages.find((s) => s.Name === 'prod')!;
    const order = (name: string) => prod.Actions.find((a) => a.Name === name)!.RunOrder;
    const deploys = prod.Actions.filter((a) => a.ActionTypeId.Category === 'Deploy').map((a) => a.RunOrder);
    expect(stages.findIndex((s) => s.Name === 'Approve-prod')).toBe(stages.indexOf(prod) - 1);
    expect(Math.min(...prod.Actions.map((a) => a.RunOrder))).toBe(order('Migrate'));
    expect(order('Migrate')).toBeLessThan(Math.min(...deploys));
    expect(order('AcceptanceTests')).toBeGreaterThan(Math.max(...deploys));
    expect(order('SmokeTests')).toBeGreaterThan(order('AcceptanceTests'));
  });

  test('an extension adds resources to every stage and steps to the pipeline, in code', () => {
    const calls: string[] = [];
    const extension: IServiceExtension = {
      extendStage(stage: ServiceStage) {
        calls.push(`stage ${stage.stageName}`);
        new CfnOutput(stage.serviceStack, 'Team', { value: 'orders-team' });
      },
      extendPipeline(pipeline: pipelines.CodePipeline) {
        calls.push('pipeline');
        pipeline.addWave('Audit', { post: [new pipelines.ManualApprovalStep('SignOff')] });
      },
    };
    const stack = pipelineStack(undefined, undefined, { extension });
    expect(calls).toEqual(['stage dev', 'stage staging', 'stage prod', 'pipeline']);
    Template.fromStack(stack.serviceStages[2].serviceStack).hasOutput('Team', { Value: 'orders-team' });
    expect(pipelineStagesOf(Template.fromStack(stack).toJSON() as any).map((s) => s.Name)).toContain('Audit');
  });
});
