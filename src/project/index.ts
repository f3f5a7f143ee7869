export * from './options';
export * from './serverless-service-project';
