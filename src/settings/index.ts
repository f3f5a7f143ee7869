export * from './enums';
export * from './stage-settings';
export * from './service-settings';
