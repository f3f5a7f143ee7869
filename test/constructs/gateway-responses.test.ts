import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ServiceStack } from '../../src';
import { errorBody } from '../../template/src/errors.generated';
import { HANDLER_BUNDLE, pipelineStack, serviceApp, serviceFunctionOf } from '../helpers/pipeline';

/** The status AWS documents for each response type (supported-gateway-response-types); the fallbacks have none. */
const DOCUMENTED_STATUS: Record<string, string | undefined> = {
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  ACCESS_DENIED: '403',
  API_CONFIGURATION_ERROR: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_BODY: '400',
  BAD_REQUEST_PARAMETERS: '400',
  EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  INVALID_API_KEY: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429',
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415',
  WAF_FILTERED: '403',
};

/** Headers a gateway response cannot carry, each set per answer by whoever sends it (API Gateway sets its own). */
const PER_ANSWER_HEADERS = ['content-length', 'etag', 'date', 'connection', 'keep-alive', 'transfer-encoding'];

/** One stage's stack, as a pipeline deploys it, allowing these CORS origins. */
function stageTemplate(corsAllowedOrigins: string[]): Template {
  return Template.fromStack(new ServiceStack(serviceApp(), 'orders-dev', {
    env: { account: '222222222222', region: 'eu-west-1' },
    serviceName: 'orders',
    stageName: 'dev',
    lambdaCodePath: HANDLER_BUNDLE,
    settings: { corsAllowedOrigins },
    pipelineAccount: '111111111111',
  }));
}

/** The stage's gateway responses, by type. */
function gatewayResponses(template: Template): Record<string, any> {
  return Object.fromEntries(Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'))
    .map((r) => [r.Properties.ResponseType, r.Properties]));
}

/** The headers every gateway response of the stage carries (lower-case names, mapping expressions), after checking they all carry the same. */
function gatewayHeaders(template: Template): Record<string, string> {
  const all = Object.values(gatewayResponses(template)).map((r) => Object.fromEntries(Object.entries<string>(r.ResponseParameters)
    .map(([key, value]) => [key.replace(/^gatewayresponse\.header\./, '').toLowerCase(), value])));
  for (const headers of all) expect(headers).toEqual(all[0]);
  return all[0];
}

/** A response template as API Gateway fills it in: `messageString` is the message as a JSON string. */
function render(template: string, message: string, requestId: string): string {
  const body = template.replace('$context.error.messageString', JSON.stringify(message)).replace('$context.requestId', requestId);
  expect(body).not.toContain('$'); // no variable left unfilled
  return body;
}

/** What the app answers, and the request id API Gateway gave the request. */
interface AppAnswer {
  readonly requestId: string;
  readonly status: number;
  /** Lower-case names, all values. */
  readonly headers: Record<string, string>;
  readonly body: any;
}

/** The template's real Lambda handler, built as on Lambda with the stage's environment, answering a request that fails in the app. */
async function appAnswer(corsAllowedOriginsEnv: string, origin: string): Promise<AppAnswer> {
  const saved = process.env.CORS_ALLOWED_ORIGINS;
  process.env.CORS_ALLOWED_ORIGINS = corsAllowedOriginsEnv;
  try {
    let lambda!: typeof import('../../template/test/support/lambda.generated');
    // The handler builds its app once, reading CORS_ALLOWED_ORIGINS: a fresh module per stage.
    jest.isolateModules(() => {
      lambda = jest.requireActual('../../template/test/support/lambda.generated');
    });
    const event = lambda.restApiEvent({ path: '/api/v1/no-such-route', headers: { origin: [origin] } });
    const res = await lambda.invoke(event);
    const headers = Object.fromEntries(Object.keys({ ...res.headers, ...res.multiValueHeaders })
      .map((name) => [name.toLowerCase(), lambda.header(res, name)!]));
    return { requestId: event.requestContext.requestId, status: res.statusCode, headers, body: lambda.jsonBody(res) };
  } finally {
    if (saved === undefined) delete process.env.CORS_ALLOWED_ORIGINS;
    else process.env.CORS_ALLOWED_ORIGINS = saved;
  }
}

describe.each([
  ['dev (DEVELOPMENT: any origin)', 0],
  ['prod (PRODUCTION: no cross-origin caller)', 2],
])('the gateway responses of the pipeline\'s %s stage', (_case, index) => {
  const template = Template.fromStack(pipelineStack().serviceStages[index].serviceStack);

  test.each(['DEFAULT_4XX', 'DEFAULT_5XX'])('%s carries the security headers, the request id and the JSON content type, and keeps API Gateway\'s status', (type) => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: type,
      StatusCode: Match.absent(),
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Content-Security-Policy': "'default-src 'none';frame-ancestors 'none''",
        'gatewayresponse.header.Strict-Transport-Security': "'max-age=31536000; includeSubDomains'",
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
        'gatewayresponse.header.X-Frame-Options': "'DENY'",
        'gatewayresponse.header.Referrer-Policy': "'no-referrer'",
        'gatewayresponse.header.Cross-Origin-Resource-Policy': "'same-origin'",
        'gatewayresponse.header.Content-Type': "'application/json; charset=utf-8'",
        'gatewayresponse.header.x-request-id': 'context.requestId',
      }),
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"requestId":"\\$context\\.requestId"') },
    });
  });

  test('every response type aws-cdk-lib knows is answered, once, with the status AWS documents for it', () => {
    const known = Object.values(apigateway.ResponseType).filter((t): t is apigateway.ResponseType => t instanceof apigateway.ResponseType)
      .map((t) => t.responseType).sort();
    expect(known).toEqual(Object.keys(DOCUMENTED_STATUS).sort());
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', known.length);
    expect(Object.fromEntries(Object.entries(gatewayResponses(template)).map(([type, r]) => [type, r.StatusCode]))).toEqual(DOCUMENTED_STATUS);
  });

  test('every body, filled in as API Gateway fills it, is the app\'s JSON error: the status, API Gateway\'s message, the request id', () => {
    const message = 'Message with "quotes", a \\ and a\nnew line';
    for (const [type, response] of Object.entries(gatewayResponses(template))) {
      expect(Object.keys(response.ResponseTemplates)).toEqual(['application/json']);
      const body = JSON.parse(render(response.ResponseTemplates['application/json'], message, 'req-42'));
      // The fallbacks keep API Gateway's status: their body can only say its class.
      const status = Number(response.StatusCode ?? (type === 'DEFAULT_4XX' ? 400 : 500));
      expect(body).toEqual(errorBody(status, message, 'req-42'));
    }
  });

  test('the deployment waits for every gateway response (API Gateway serves them from a deployment)', () => {
    const [deployment] = Object.values(template.findResources('AWS::ApiGateway::Deployment'));
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(Object.keys(template.findResources('AWS::ApiGateway::GatewayResponse'))));
  });
});

test('a change to the gateway responses alone makes a new deployment, so that the stage serves it', () => {
  // The stages differ only in their CORS origins, which change the headers of the gateway responses and no method.
  const deploymentId = (t: Template) => Object.keys(t.findResources('AWS::ApiGateway::Deployment'))[0];
  const [open, closed] = [stageTemplate(['*']), stageTemplate([])];
  expect(Object.values(open.findResources('AWS::ApiGateway::Method'))).toEqual(Object.values(closed.findResources('AWS::ApiGateway::Method')));
  expect(deploymentId(open)).not.toEqual(deploymentId(closed));
});

// The drift check: the headers of the gateway responses are exactly the headers the template's real handler
// answers a REST API request with, configured as the stage configures its function, value for value.
describe.each<[string, string[], string]>([
  ['no cross-origin caller', [], 'https://shop.example.com'],
  ['any origin', ['*'], 'https://shop.example.com'],
  ['one origin', ['https://shop.example.com'], 'https://shop.example.com'],
  // API Gateway cannot pick the caller's origin from a list: it answers as the app answers an origin it does not know.
  ['several origins', ['https://shop.example.com', 'https://admin.example.com'], 'https://elsewhere.example.com'],
])('a stage allowing %s', (_case, origins, origin) => {
  const template = stageTemplate(origins);

  test('its gateway responses carry every header of the app\'s own error answer, with the same values, and no other', async () => {
    const app = await appAnswer(serviceFunctionOf(template).Environment.Variables.CORS_ALLOWED_ORIGINS, origin);
    expect(app.status).toBe(404);
    expect(app.body).toEqual(errorBody(404, 'No route for GET /api/v1/no-such-route', app.requestId));

    const expected = Object.fromEntries(Object.entries(app.headers).filter(([name]) => !PER_ANSWER_HEADERS.includes(name)));
    const gateway = gatewayHeaders(template);
    expect(Object.keys(gateway).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, mapping] of Object.entries(gateway)) {
      // The request id is the id the app takes from a REST API's event, which API Gateway calls context.requestId.
      const value = mapping === 'context.requestId' ? app.requestId : mapping.replace(/^'(.*)'$/s, '$1');
      expect([name, value]).toEqual([name, expected[name]]);
    }
  });
});

test('with several origins, the app names a listed caller\'s origin; a gateway response cannot, and names none', async () => {
  const origins = ['https://shop.example.com', 'https://admin.example.com'];
  const template = stageTemplate(origins);
  const app = await appAnswer(serviceFunctionOf(template).Environment.Variables.CORS_ALLOWED_ORIGINS, origins[1]);

  expect(app.headers['access-control-allow-origin']).toBe(origins[1]);
  expect(gatewayHeaders(template)['access-control-allow-origin']).toBeUndefined();
});
