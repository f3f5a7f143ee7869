// Real Lambda events, from AWS's public samples, by the name of their copy in test/events/. The generated
// tests build every request they send from these; test/events/ holds copies for `npx projen invoke`, yours to change.

export const SAMPLE_EVENTS: { readonly [fileName: string]: unknown } = {
  'alb-lambda-target-request-multivalue-headers.json': {
    "requestContext": {
      "elb": {
        "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdefgh"
      }
    },
    "httpMethod": "GET",
    "path": "/",
    "multiValueQueryStringParameters": {
      "key": [
        "hello"
      ]
    },
    "multiValueHeaders": {
      "accept": [
        "*/*"
      ],
      "connection": [
        "keep-alive"
      ],
      "host": [
        "lambda-test-alb-1234567.us-east-1.elb.amazonaws.com"
      ],
      "user-agent": [
        "curl/7.54.0"
      ],
      "x-amzn-trace-id": [
        "Root=1-5c34e7d4-00ca239424b68028d4c56d68"
      ],
      "x-forwarded-for": [
        "72.21.198.67"
      ],
      "x-forwarded-port": [
        "80"
      ],
      "x-forwarded-proto": [
        "http"
      ],
      "x-imforwards": [
        "20"
      ],
      "x-myheader": [
        "123"
      ]
    },
    "body": "",
    "isBase64Encoded": false
  },
  'apigw-request.json': {
    "resource": "/{proxy+}",
    "path": "/hello/world",
    "httpMethod": "POST",
    "headers": {
      "Accept": "*/*",
      "Accept-Encoding": "gzip, deflate",
      "cache-control": "no-cache",
      "CloudFront-Forwarded-Proto": "https",
      "CloudFront-Is-Desktop-Viewer": "true",
      "CloudFront-Is-Mobile-Viewer": "false",
      "CloudFront-Is-SmartTV-Viewer": "false",
      "CloudFront-Is-Tablet-Viewer": "false",
      "CloudFront-Viewer-Country": "US",
      "Content-Type": "application/json",
      "headerName": "headerValue",
      "Host": "gy415nuibc.execute-api.us-east-1.amazonaws.com",
      "Postman-Token": "9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f",
      "User-Agent": "PostmanRuntime/2.4.5",
      "Via": "1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)",
      "X-Amz-Cf-Id": "pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A==",
      "X-Forwarded-For": "54.240.196.186, 54.182.214.83",
      "X-Forwarded-Port": "443",
      "X-Forwarded-Proto": "https"
    },
    "multiValueHeaders": {
      "Accept": [
        "*/*"
      ],
      "Accept-Encoding": [
        "gzip, deflate"
      ],
      "cache-control": [
        "no-cache"
      ],
      "CloudFront-Forwarded-Proto": [
        "https"
      ],
      "CloudFront-Is-Desktop-Viewer": [
        "true"
      ],
      "CloudFront-Is-Mobile-Viewer": [
        "false"
      ],
      "CloudFront-Is-SmartTV-Viewer": [
        "false"
      ],
      "CloudFront-Is-Tablet-Viewer": [
        "false"
      ],
      "CloudFront-Viewer-Country": [
        "US"
      ],
      "Content-Type": [
        "application/json"
      ],
      "headerName": [
        "headerValue"
      ],
      "Host": [
        "gy415nuibc.execute-api.us-east-1.amazonaws.com"
      ],
      "Postman-Token": [
        "9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f"
      ],
      "User-Agent": [
        "PostmanRuntime/2.4.5"
      ],
      "Via": [
        "1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)"
      ],
      "X-Amz-Cf-Id": [
        "pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A=="
      ],
      "X-Forwarded-For": [
        "54.240.196.186, 54.182.214.83"
      ],
      "X-Forwarded-Port": [
        "443"
      ],
      "X-Forwarded-Proto": [
        "https"
      ]
    },
    "queryStringParameters": {
      "name": "me"
    },
    "multiValueQueryStringParameters": {
      "name": [
        "me"
      ]
    },
    "pathParameters": {
      "proxy": "hello/world"
    },
    "stageVariables": {
      "stageVariableName": "stageVariableValue"
    },
    "requestContext": {
      "accountId": "12345678912",
      "resourceId": "roq9wj",
      "path": "/hello/world",
      "stage": "testStage",
      "domainName": "gy415nuibc.execute-api.us-east-2.amazonaws.com",
      "domainPrefix": "y0ne18dixk",
      "requestId": "deef4878-7910-11e6-8f14-25afc3e9ae33",
      "extendedRequestId": "TWegAcC4EowCHnA=",
      "protocol": "HTTP/1.1",
      "identity": {
        "cognitoIdentityPoolId": "theCognitoIdentityPoolId",
        "accountId": "theAccountId",
        "cognitoIdentityId": "theCognitoIdentityId",
        "caller": "theCaller",
        "apiKey": "theApiKey",
        "apiKeyId": "theApiKeyId",
        "accessKey": "ANEXAMPLEOFACCESSKEY",
        "sourceIp": "192.168.196.186",
        "cognitoAuthenticationType": "theCognitoAuthenticationType",
        "cognitoAuthenticationProvider": "theCognitoAuthenticationProvider",
        "userArn": "theUserArn",
        "userAgent": "PostmanRuntime/2.4.5",
        "user": "theUser",
        "clientCert": {
          "clientCertPem": "CERT_CONTENT",
          "subjectDN": "www.example.com",
          "issuerDN": "Example issuer",
          "serialNumber": "a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1",
          "validity": {
            "notBefore": "May 28 12:30:02 2019 GMT",
            "notAfter": "Aug  5 09:36:04 2021 GMT"
          }
        }
      },
      "authorizer": {
        "principalId": "admin",
        "clientId": 1,
        "clientName": "Exata"
      },
      "resourcePath": "/{proxy+}",
      "httpMethod": "POST",
      "requestTime": "15/May/2020:06:01:09 +0000",
      "requestTimeEpoch": 1589522469693,
      "apiId": "gy415nuibc"
    },
    "body": "{\r\n\t\"a\": 1\r\n}"
  },
  'apigw-restapi-openapi-request.json': {
    "resource": "/{proxy+}",
    "path": "/hello/world",
    "httpMethod": "POST",
    "headers": {
      "Accept": "*/*",
      "Accept-Encoding": "gzip, deflate",
      "cache-control": "no-cache",
      "CloudFront-Forwarded-Proto": "https",
      "CloudFront-Is-Desktop-Viewer": "true",
      "CloudFront-Is-Mobile-Viewer": "false",
      "CloudFront-Is-SmartTV-Viewer": "false",
      "CloudFront-Is-Tablet-Viewer": "false",
      "CloudFront-Viewer-Country": "US",
      "Content-Type": "application/json",
      "headerName": "headerValue",
      "Host": "gy415nuibc.execute-api.us-east-1.amazonaws.com",
      "Postman-Token": "9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f",
      "User-Agent": "PostmanRuntime/2.4.5",
      "Via": "1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)",
      "X-Amz-Cf-Id": "pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A==",
      "X-Forwarded-For": "54.240.196.186, 54.182.214.83",
      "X-Forwarded-Port": "443",
      "X-Forwarded-Proto": "https"
    },
    "multiValueHeaders": {
      "Accept": [
        "*/*"
      ],
      "Accept-Encoding": [
        "gzip, deflate"
      ],
      "cache-control": [
        "no-cache"
      ],
      "CloudFront-Forwarded-Proto": [
        "https"
      ],
      "CloudFront-Is-Desktop-Viewer": [
        "true"
      ],
      "CloudFront-Is-Mobile-Viewer": [
        "false"
      ],
      "CloudFront-Is-SmartTV-Viewer": [
        "false"
      ],
      "CloudFront-Is-Tablet-Viewer": [
        "false"
      ],
      "CloudFront-Viewer-Country": [
        "US"
      ],
      "Content-Type": [
        "application/json"
      ],
      "headerName": [
        "headerValue"
      ],
      "Host": [
        "gy415nuibc.execute-api.us-east-1.amazonaws.com"
      ],
      "Postman-Token": [
        "9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f"
      ],
      "User-Agent": [
        "PostmanRuntime/2.4.5"
      ],
      "Via": [
        "1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)"
      ],
      "X-Amz-Cf-Id": [
        "pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A=="
      ],
      "X-Forwarded-For": [
        "54.240.196.186, 54.182.214.83"
      ],
      "X-Forwarded-Port": [
        "443"
      ],
      "X-Forwarded-Proto": [
        "https"
      ]
    },
    "queryStringParameters": {
      "name": "me"
    },
    "multiValueQueryStringParameters": {
      "name": [
        "me"
      ]
    },
    "pathParameters": {
      "proxy": "hello/world"
    },
    "stageVariables": {
      "stageVariableName": "stageVariableValue"
    },
    "requestContext": {
      "accountId": "12345678912",
      "resourceId": "roq9wj",
      "path": "/hello/world",
      "operationName": "HelloWorld",
      "stage": "testStage",
      "domainName": "gy415nuibc.execute-api.us-east-2.amazonaws.com",
      "domainPrefix": "y0ne18dixk",
      "requestId": "deef4878-7910-11e6-8f14-25afc3e9ae33",
      "extendedRequestId": "TWegAcC4EowCHnA=",
      "protocol": "HTTP/1.1",
      "identity": {
        "cognitoIdentityPoolId": "theCognitoIdentityPoolId",
        "accountId": "theAccountId",
        "cognitoIdentityId": "theCognitoIdentityId",
        "caller": "theCaller",
        "apiKey": "theApiKey",
        "apiKeyId": "theApiKeyId",
        "accessKey": "ANEXAMPLEOFACCESSKEY",
        "sourceIp": "192.168.196.186",
        "cognitoAuthenticationType": "theCognitoAuthenticationType",
        "cognitoAuthenticationProvider": "theCognitoAuthenticationProvider",
        "userArn": "theUserArn",
        "userAgent": "PostmanRuntime/2.4.5",
        "user": "theUser"
      },
      "authorizer": {
        "principalId": "admin",
        "clientId": 1,
        "clientName": "Exata"
      },
      "resourcePath": "/{proxy+}",
      "httpMethod": "POST",
      "requestTime": "15/May/2020:06:01:09 +0000",
      "requestTimeEpoch": 1589522469693,
      "apiId": "gy415nuibc"
    },
    "body": "{\r\n\t\"a\": 1\r\n}"
  },
  'apigw-v2-request-iam.json': {
    "version": "2.0",
    "routeKey": "$default",
    "rawPath": "/my/path",
    "rawQueryString": "parameter1=value1&parameter1=value2&parameter2=value",
    "cookies": [
      "cookie1",
      "cookie2"
    ],
    "headers": {
      "Header1": "value1",
      "Header2": "value2"
    },
    "queryStringParameters": {
      "parameter1": "value1,value2",
      "parameter2": "value"
    },
    "pathParameters": {
      "proxy": "hello/world"
    },
    "requestContext": {
      "routeKey": "$default",
      "accountId": "123456789012",
      "stage": "$default",
      "requestId": "id",
      "authorizer": {
        "iam": {
          "accessKey": "ARIA2ZJZYVUEREEIHAKY",
          "accountId": "1234567890",
          "callerId": "AROA7ZJZYVRE7C3DUXHH6:CognitoIdentityCredentials",
          "cognitoIdentity": {
            "amr": [
              "foo"
            ],
            "identityId": "us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce",
            "identityPoolId": "us-east-1:4f291106-8703-466b-8f2b-3ecee1ca56ce"
          },
          "principalOrgId": "AwsOrgId",
          "userArn": "arn:aws:iam::1234567890:user/Admin",
          "userId": "AROA2ZJZYVRE7Y3TUXHH6"
        }
      },
      "apiId": "api-id",
      "authentication": {
        "clientCert": {
          "clientCertPem": "-----BEGIN CERTIFICATE-----\nMIIEZTCCAk0CAQEwDQ...",
          "issuerDN": "C=US,ST=Washington,L=Seattle,O=Amazon Web Services,OU=Security,CN=My Private CA",
          "serialNumber": "1",
          "subjectDN": "C=US,ST=Washington,L=Seattle,O=Amazon Web Services,OU=Security,CN=My Client",
          "validity": {
            "notAfter": "Aug  5 00:28:21 2120 GMT",
            "notBefore": "Aug 29 00:28:21 2020 GMT"
          }
        }
      },
      "domainName": "id.execute-api.us-east-1.amazonaws.com",
      "domainPrefix": "id",
      "time": "12/Mar/2020:19:03:58+0000",
      "timeEpoch": 1583348638390,
      "http": {
        "method": "GET",
        "path": "/my/path",
        "protocol": "HTTP/1.1",
        "sourceIp": "IP",
        "userAgent": "agent"
      }
    },
    "stageVariables": {
      "stageVariable1": "value1",
      "stageVariable2": "value2"
    },
    "body": "{\r\n\t\"a\": 1\r\n}",
    "isBase64Encoded": false
  },
  'apigw-v2-request-no-authorizer.json': {
    "version": "2.0",
    "routeKey": "$default",
    "rawPath": "/",
    "rawQueryString": "",
    "headers": {
      "accept": "*/*",
      "content-length": "0",
      "host": "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com",
      "user-agent": "curl/7.58.0",
      "x-amzn-trace-id": "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c",
      "x-forwarded-for": "1.2.3.4",
      "x-forwarded-port": "443",
      "x-forwarded-proto": "https"
    },
    "requestContext": {
      "accountId": "123456789012",
      "apiId": "aaaaaaaaaa",
      "authentication": {
        "clientCert": {
          "clientCertPem": "-----BEGIN CERTIFICATE-----\nMIIEZTCCAk0CAQEwDQ...",
          "issuerDN": "C=US,ST=Washington,L=Seattle,O=Amazon Web Services,OU=Security,CN=My Private CA",
          "serialNumber": "1",
          "subjectDN": "C=US,ST=Washington,L=Seattle,O=Amazon Web Services,OU=Security,CN=My Client",
          "validity": {
            "notAfter": "Aug  5 00:28:21 2120 GMT",
            "notBefore": "Aug 29 00:28:21 2020 GMT"
          }
        }
      },
      "domainName": "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com",
      "domainPrefix": "aaaaaaaaaa",
      "http": {
        "method": "GET",
        "path": "/",
        "protocol": "HTTP/1.1",
        "sourceIp": "1.2.3.4",
        "userAgent": "curl/7.58.0"
      },
      "requestId": "LV7fzho-PHcEJPw=",
      "routeKey": "$default",
      "stage": "$default",
      "time": "21/Apr/2020:15:08:21 +0000",
      "timeEpoch": 1587481701067
    },
    "isBase64Encoded": false
  },
  'eventbridge-scheduled-event.json': {
    "version": "0",
    "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": "123456789012",
    "time": "2015-10-08T16:53:06Z",
    "region": "us-east-1",
    "resources": [
      "arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"
    ],
    "detail": {}
  },
  'lambda-urls-request.json': {
    "version": "2.0",
    "rawPath": "/my/path",
    "rawQueryString": "parameter1=value1&parameter1=value2&parameter2=value",
    "cookies": [
      "cookie1",
      "cookie2"
    ],
    "headers": {
      "header1": "value1",
      "header2": "value1,value2"
    },
    "queryStringParameters": {
      "parameter1": "value1,value2",
      "parameter2": "value"
    },
    "requestContext": {
      "accountId": "123456789012",
      "apiId": "<urlid>",
      "authorizer": {
        "iam": {
          "accessKey": "AKIA...",
          "accountId": "111122223333",
          "callerId": "AIDA...",
          "userArn": "arn:aws:iam::111122223333:user/example-user",
          "userId": "AIDA..."
        }
      },
      "domainName": "<url-id>.lambda-url.us-west-2.on.aws",
      "domainPrefix": "<url-id>",
      "http": {
        "method": "POST",
        "path": "/my/path",
        "protocol": "HTTP/1.1",
        "sourceIp": "123.123.123.123",
        "userAgent": "agent"
      },
      "requestId": "id",
      "time": "12/Mar/2020:19:03:58 +0000",
      "timeEpoch": 1583348638390
    },
    "body": "Hello from client!",
    "isBase64Encoded": false
  },
  's3-put.json': {
    "Records": [
      {
        "eventVersion": "2.0",
        "eventSource": "aws:s3",
        "awsRegion": "us-east-1",
        "eventTime": "1970-01-01T00:00:00.000Z",
        "eventName": "ObjectCreated:Put",
        "userIdentity": {
          "principalId": "EXAMPLE"
        },
        "requestParameters": {
          "sourceIPAddress": "127.0.0.1"
        },
        "responseElements": {
          "x-amz-request-id": "EXAMPLE123456789",
          "x-amz-id-2": "EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH"
        },
        "s3": {
          "s3SchemaVersion": "1.0",
          "configurationId": "testConfigRule",
          "bucket": {
            "name": "example-bucket",
            "ownerIdentity": {
              "principalId": "EXAMPLE"
            },
            "arn": "arn:aws:s3:::example-bucket"
          },
          "object": {
            "key": "test%2Fkey",
            "size": 1024,
            "eTag": "0123456789abcdef0123456789abcdef",
            "sequencer": "0A1B2C3D4E5F678901"
          }
        }
      }
    ]
  },
  'sqs-receive-message.json': {
    "Records": [
      {
        "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
        "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
        "body": "Test message.",
        "attributes": {
          "ApproximateReceiveCount": "1",
          "SentTimestamp": "1545082649183",
          "SenderId": "AIDAIENQZJOLO23YVJ4VO",
          "ApproximateFirstReceiveTimestamp": "1545082649185"
        },
        "messageAttributes": {},
        "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue",
        "awsRegion": "us-east-2"
      }
    ]
  },
};
