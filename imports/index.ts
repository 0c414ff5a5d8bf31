export * from './istio-api-object.js';
export * from './schemas.js';
export * from './networking.istio.io.js';
export * from './security.istio.io.js';
export * from './telemetry.istio.io.js';
