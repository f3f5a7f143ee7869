'use strict';
// The Lambda events and context the probes send through the bundled handler, built as the service's
// test/handler.test.ts builds them from the AWS samples in its test/events/.
const fs = require('fs');
const path = require('path');

const loadEvent = (eventsDir, fileName) => JSON.parse(fs.readFileSync(path.join(eventsDir, fileName), 'utf8'));

/** A function returning a fresh API Gateway REST API (1.0) event for `method urlPath`, without a body. */
function restApiEvent(eventsDir, method, urlPath) {
  const event = loadEvent(eventsDir, 'apigw-request.json');
  return () => ({
    ...event,
    httpMethod: method,
    path: urlPath,
    pathParameters: { proxy: urlPath.slice(1) },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body: null,
    isBase64Encoded: false,
  });
}

/** The same for an HTTP API (2.0) event; it carries no content-length, as API Gateway's do not for a GET. */
function httpApiEvent(eventsDir, method, urlPath) {
  const event = loadEvent(eventsDir, 'apigw-v2-request-no-authorizer.json');
  const { ['content-length']: _ignored, ...headers } = event.headers;
  return () => ({
    ...event,
    rawPath: urlPath,
    headers: { ...headers },
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method, path: urlPath } },
  });
}

const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'service-handler',
  getRemainingTimeInMillis: () => 10_000,
};

module.exports = { restApiEvent, httpApiEvent, context };
