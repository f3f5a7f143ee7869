import { Match, Template } from 'aws-cdk-lib/assertions';
import { pipelineStack } from './pipeline-fixture';

describe('each stage\'s service stack', () => {
  const stages = pipelineStack().serviceStages;
  const template = Template.fromStack(stages[0].serviceStack);

  test('runs the bundled handler on Node 22, arm64, with source maps', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', SERVICE_NAME: 'orders' } },
    });
  });

  test('publishes a version behind the live alias', () => {
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('Version'), 'Version'] },
    });
  });

  test('integrates API Gateway with the alias, not the bare function', () => {
    const aliasId = Object.keys(template.findResources('AWS::Lambda::Alias'))[0];
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'))
      .filter((m) => m.Properties.HttpMethod === 'ANY');
    expect(methods).toHaveLength(2); // the root and {proxy+}
    for (const method of methods) {
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(`{"Ref":"${aliasId}"}`);
    }
  });

  test('is named after the service and the stage', () => {
    expect(stages.map((s) => s.serviceStack.stackName)).toEqual(['orders-dev', 'orders-staging', 'orders-prod']);
  });

  test('outputs the API URL', () => {
    template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });

  test('keeps the function\'s logs for a month', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('deploys one and the same Lambda asset in every stage', () => {
    const assetKey = (i: number) => Object.values(Template.fromStack(stages[i].serviceStack)
      .findResources('AWS::Lambda::Function'))[0].Properties.Code.S3Key;
    expect(assetKey(0)).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(assetKey(1)).toBe(assetKey(0));
    expect(assetKey(2)).toBe(assetKey(0));
  });
});
