import serverlessExpress from '@codegenie/serverless-express';
import { createApp } from './app';

// Built once per execution environment (at cold start) and reused by every invocation.
export const handler = serverlessExpress({ app: createApp() });
