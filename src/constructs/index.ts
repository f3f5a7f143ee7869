export * from './service-api';
export * from './service-stack';
export * from './service-stage';
export * from './service-pipeline-stack';
