import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiAuthorization, ServiceStack, StageSettingsProps } from '../../src';
import { serviceApp } from '../helpers/pipeline';

const POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:222222222222:userpool/eu-west-1_AbCdEf123';
const WEB_ACL_ARN = 'arn:aws:wafv2:eu-west-1:222222222222:regional/webacl/orders/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

/** One stage's stack, as a pipeline deploys it, with the given settings. */
function stageTemplate(settings: StageSettingsProps = {}): Template {
  const stack = new ServiceStack(serviceApp(), 'orders-dev', {
    env: { account: '222222222222', region: 'eu-west-1' },
    serviceName: 'orders',
    stageName: 'dev',
    lambdaCodePath: path.join(__dirname, '..', 'fixtures', 'handler'),
    settings: { profile: 'DEVELOPMENT' as any, ...settings },
    pipelineAccount: '111111111111',
  });
  return Template.fromStack(stack);
}

const methods = (t: Template) => Object.values(t.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties);
const idOf = (t: Template, type: string, prefix: string) => Object.keys(t.findResources(type)).find((id) => id.startsWith(prefix))!;

describe('an open stage (the default)', () => {
  const template = stageTemplate();

  test('writes JSON access logs to a group kept as long as the stage\'s other logs', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0].Properties;
    const group = idOf(template, 'AWS::Logs::LogGroup', 'ServiceAccessLogs');
    expect(stage.AccessLogSetting.DestinationArn).toEqual({ 'Fn::Join': ['', [expect.stringMatching(/:log-group:$/), { Ref: group }]] });
    expect(JSON.parse(stage.AccessLogSetting.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(template.toJSON().Resources[group].Properties.RetentionInDays).toBe(7);
  });

  test('logs execution errors of every method, never bodies, in a group it creates first with the same retention', () => {
    const [stageId, stage] = Object.entries(template.findResources('AWS::ApiGateway::Stage'))[0];
    expect(stage.Properties.MethodSettings).toEqual([expect.objectContaining({
      HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false,
    })]);
    const group = idOf(template, 'AWS::Logs::LogGroup', 'ServiceExecutionLogs');
    expect(template.toJSON().Resources[group].Properties).toEqual({
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: expect.stringMatching(/^ServiceApi/) }, '/live']] },
      RetentionInDays: 7,
    });
    expect(template.toJSON().Resources[stageId].DependsOn).toContain(group);
  });

  test('validates requests on every method', () => {
    const [validatorId] = Object.keys(template.findResources('AWS::ApiGateway::RequestValidator', {
      Properties: { ValidateRequestBody: true, ValidateRequestParameters: true },
    }));
    expect(methods(template).map((m) => [m.HttpMethod, m.AuthorizationType, m.RequestValidatorId]))
      .toEqual([['ANY', 'NONE', { Ref: validatorId }], ['ANY', 'NONE', { Ref: validatorId }]]);
  });

  test('has no web ACL', () => {
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });
});

test('an IAM stage signs every method, and leaves browsers\' preflights to the app', () => {
  const template = stageTemplate({ authorization: ApiAuthorization.IAM, corsAllowedOrigins: ['https://shop.example.com'] });
  expect(methods(template).map((m) => [m.HttpMethod, m.AuthorizationType]).sort()).toEqual([
    ['ANY', 'AWS_IAM'], ['ANY', 'AWS_IAM'], ['OPTIONS', 'NONE'], ['OPTIONS', 'NONE'],
  ]);
  // The preflights reach the function (its cors() answers them), through the live alias.
  for (const options of methods(template).filter((m) => m.HttpMethod === 'OPTIONS')) {
    expect(JSON.stringify(options.Integration.Uri)).toContain(idOf(template, 'AWS::Lambda::Alias', 'ServiceLiveAlias'));
  }
});

test('an IAM stage without cross-origin callers needs no preflight method', () => {
  const template = stageTemplate({ authorization: ApiAuthorization.IAM, corsAllowedOrigins: [] });
  expect(methods(template).map((m) => m.HttpMethod)).toEqual(['ANY', 'ANY']);
});

test('a COGNITO stage accepts tokens of its user pool on every method', () => {
  const template = stageTemplate({ authorization: ApiAuthorization.COGNITO, cognitoUserPoolArn: POOL_ARN, corsAllowedOrigins: [] });
  const authorizer = idOf(template, 'AWS::ApiGateway::Authorizer', 'ServiceAuthorizer');
  template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
    Type: 'COGNITO_USER_POOLS', ProviderARNs: [POOL_ARN], IdentitySource: 'method.request.header.Authorization',
  });
  expect(methods(template).map((m) => [m.AuthorizationType, m.AuthorizerId]))
    .toEqual([['COGNITO_USER_POOLS', { Ref: authorizer }], ['COGNITO_USER_POOLS', { Ref: authorizer }]]);
});

test('a web ACL is associated with the stage, once the stage exists (its ARN refers to it)', () => {
  const template = stageTemplate({ webAclArn: WEB_ACL_ARN });
  const association = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'))[0];
  const stageId = Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0];
  expect(association.Properties).toEqual({
    WebACLArn: WEB_ACL_ARN,
    ResourceArn: { 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-1::/restapis/', { Ref: expect.stringMatching(/^ServiceApi/) }, '/stages/', { Ref: stageId }]] },
  });
});

test('a stack without an env (its region a token) takes a web ACL, leaving the region to the deploy', () => {
  const stack = new ServiceStack(serviceApp(), 'orders-dev', {
    serviceName: 'orders',
    stageName: 'dev',
    lambdaCodePath: path.join(__dirname, '..', 'fixtures', 'handler'),
    settings: { webAclArn: WEB_ACL_ARN },
    pipelineAccount: '111111111111',
  });
  Template.fromStack(stack).resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  expect(() => new ServiceStack(serviceApp(), 'orders-prod', {
    env: { account: '222222222222', region: 'us-east-1' },
    serviceName: 'orders',
    stageName: 'prod',
    lambdaCodePath: path.join(__dirname, '..', 'fixtures', 'handler'),
    settings: { webAclArn: WEB_ACL_ARN },
    pipelineAccount: '111111111111',
  })).toThrow(/'prod\.webAclArn' is in eu-west-1, but the stage deploys to us-east-1/);
});

describe('roles of the stage', () => {
  const template = stageTemplate();

  test('no role has a managed policy but API Gateway\'s account-wide logging role', () => {
    const managed = Object.entries(template.findResources('AWS::IAM::Role'))
      .filter(([, r]) => r.Properties.ManagedPolicyArns).map(([id]) => id);
    expect(managed).toEqual([idOf(template, 'AWS::IAM::Role', 'ServiceApiCloudWatchRole')]);
  });

  test('each function may write its own log group, and no other', () => {
    for (const [role, group] of [['ServiceFunctionRole', 'ServiceFunctionLogs'], ['ServicePreTrafficHookRole', 'ServicePreTrafficHookLogs']]) {
      expect(template.toJSON().Resources[idOf(template, 'AWS::IAM::Role', role)].Properties.Policies).toEqual([{
        PolicyName: 'Logs',
        PolicyDocument: expect.objectContaining({
          Statement: [{
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [idOf(template, 'AWS::Logs::LogGroup', group), 'Arn'] },
          }],
        }),
      }]);
    }
  });

  test('CodeDeploy may move the function\'s aliases, read its versions and the four alarms, and invoke the hook, nothing more', () => {
    const role = idOf(template, 'AWS::IAM::Role', 'ServiceDeploymentRole');
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { ServiceRoleArn: { 'Fn::GetAtt': [role, 'Arn'] } });
    const [inline] = template.toJSON().Resources[role].Properties.Policies;
    const fn = { 'Fn::GetAtt': [idOf(template, 'AWS::Lambda::Function', 'ServiceFunction'), 'Arn'] };
    expect(inline.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: ['lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig', 'lambda:UpdateAlias'],
        // The function's own qualifiers: the live alias and its versions, which change with every release.
        Resource: [fn, { 'Fn::Join': ['', [fn, ':*']] }],
      }),
      expect.objectContaining({ Action: 'cloudwatch:DescribeAlarms' }),
    ]);
    // Exactly the four alarms of the deployment group, named by their ARNs.
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] }));
    expect(alarms).toHaveLength(4);
    expect(inline.PolicyDocument.Statement[1].Resource).toEqual(expect.arrayContaining(alarms));
    expect(inline.PolicyDocument.Statement[1].Resource).toHaveLength(4);
    const hookPolicies = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === role));
    const hook = { 'Fn::GetAtt': [idOf(template, 'AWS::Lambda::Function', 'ServicePreTrafficHook'), 'Arn'] };
    expect(hookPolicies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[expect.objectContaining({
      Action: 'lambda:InvokeFunction', Resource: [hook, { 'Fn::Join': ['', [hook, ':*']] }],
    })]]);
  });
});
