export * from './core/index.js';
export * from './constructs/index.js';
export * from './analysis/index.js';
export * from './injection/index.js';
export * from '../imports/index.js';
