import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiAuthorization, ServiceApi, StageSettingsProps } from '../../src';
import { HANDLER_BUNDLE, serviceApp } from '../helpers/pipeline';

/** The template of one stage's API, with the given settings. */
function apiTemplate(settings: StageSettingsProps = {}): Template {
  const stack = new Stack(serviceApp(), 'orders-dev', { env: { account: '222222222222', region: 'eu-west-1' } });
  new ServiceApi(stack, 'Service', { serviceName: 'orders', stageName: 'dev', lambdaCodePath: HANDLER_BUNDLE, settings });
  return Template.fromStack(stack);
}

const methods = (t: Template) => Object.values(t.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties);
const aliasId = (t: Template) => Object.keys(t.findResources('AWS::Lambda::Alias'))[0];

describe.each([
  ['an open stage', {}],
  ['an IAM stage with cross-origin callers', { authorization: ApiAuthorization.IAM, corsAllowedOrigins: ['https://shop.example.com'] }],
])('the REST API of %s', (_case, settings: StageSettingsProps) => {
  const template = apiTemplate(settings);

  test('passes every body unchanged: all media types are binary', () => {
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
  });

  test('has no MOCK integration (with */*, a MOCK preflight fails): every method, OPTIONS too, proxies to the live alias', () => {
    expect(methods(template).length).toBeGreaterThanOrEqual(2);
    for (const method of methods(template)) {
      expect([method.HttpMethod, method.Integration.Type]).toEqual([method.HttpMethod, 'AWS_PROXY']);
      expect(JSON.stringify(method.Integration.Uri)).toContain(`{"Ref":"${aliasId(template)}"}`);
      expect(method.Integration.ContentHandling).toBeUndefined();
    }
  });
});

test('an IAM stage leaves its preflights (OPTIONS) unauthenticated, through the same proxy', () => {
  const template = apiTemplate({ authorization: ApiAuthorization.IAM, corsAllowedOrigins: ['https://shop.example.com'] });

  const options = methods(template).filter((m) => m.HttpMethod === 'OPTIONS');

  expect(options.map((m) => [m.AuthorizationType, m.Integration.Type])).toEqual([['NONE', 'AWS_PROXY'], ['NONE', 'AWS_PROXY']]);
});
