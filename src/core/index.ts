export * from './errors.js';
export * from './names.js';
export * from './hosts.js';
export * from './ports.js';
export * from './weights.js';
export * from './labels.js';
export * from './durations.js';
