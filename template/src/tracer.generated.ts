import { Tracer } from '@aws-lambda-powertools/tracer';
import { type LibraryLogLevel, libraryLog } from './logger.generated';

// X-Ray traces (Powertools for AWS Lambda), sent only on Lambda: without AWS_EXECUTION_ENV (under
// `npx projen dev`, `npx projen invoke` and the tests) or with POWERTOOLS_TRACE_ENABLED=false,
// every call is a no-op. Routes may use it too: `tracer.putAnnotation(...)`, `tracer.captureAWSv3Client(...)`.
export const tracer = new Tracer({ serviceName: process.env.SERVICE_NAME ?? 'service' });

// The X-Ray SDK's own messages (a segment it could not send...) as JSON lines, like every other
// line, from the SDK's own level up: error, unless AWS_XRAY_LOG_LEVEL or AWS_XRAY_DEBUG_MODE says otherwise.
const SDK_LEVELS: readonly LibraryLogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const sdkLevel = process.env.AWS_XRAY_DEBUG_MODE ? 'debug' : process.env.AWS_XRAY_LOG_LEVEL?.toLowerCase();
tracer.provider.setLogger(libraryLog('aws-xray-sdk', SDK_LEVELS.find((level) => level === sdkLevel) ?? 'error'));
