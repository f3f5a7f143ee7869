import { Logger } from '@aws-lambda-powertools/logger';

// Structured JSON logs (Powertools for AWS Lambda). On Lambda each line carries the request ids.
export const logger = new Logger({ serviceName: process.env.SERVICE_NAME ?? 'service' });
