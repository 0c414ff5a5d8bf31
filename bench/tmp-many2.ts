import { analyze } from '../src/analysis/index.js';
import { manyNamespaceObjects } from './shapes.js';
const objects = manyNamespaceObjects(100000);
analyze(structuredClone(objects));
const input = structuredClone(objects);
const t = performance.now();
analyze(input);
console.log('warm analyze', ((performance.now() - t) / 1000).toFixed(2));
