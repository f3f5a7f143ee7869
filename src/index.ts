export * from './project';
export * from './constructs';
