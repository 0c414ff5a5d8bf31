import { analyze } from '../src/analysis/index.js';
import { manyNamespaceObjects } from './shapes.js';
const objects = manyNamespaceObjects(Number(process.argv[2] ?? 30000));
const t = performance.now();
analyze(objects);
console.log('analyze', objects.length, ((performance.now() - t) / 1000).toFixed(2));
