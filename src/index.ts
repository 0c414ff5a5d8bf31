export * from './core/index.js';
export * from './constructs/index.js';
export * from '../imports/index.js';
