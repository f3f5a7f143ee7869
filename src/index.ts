export * from './settings';
export * from './project';
export * from './constructs';
