import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/core/index.js';
import { injectObjects } from '../../src/injection/index.js';
import { fidelity } from './leaves.js';
import { corpusPath } from './synth.js';

/** One input/golden pair of ../shared/corpus/injection/cases.json. */
export interface InjectionCase {
  input: string;
  golden: string;
  nativeSidecars: boolean;
}

export const readInjectionFile = (file: string) => readFileSync(corpusPath('injection', file), 'utf8');

/** Every YAML document of a file as it is (Lists are not expanded: kube-inject keeps them). */
export function documents(text: string): KubeObject[] {
  return text
    .split(/^---\s*$/m)
    .map((doc) => parse(doc) as KubeObject | null)
    .filter((doc): doc is KubeObject => doc !== null && typeof doc === 'object');
}

/** Image names are not compared (the goldens use a test registry), nor the version in the status annotation. */
function normalize(objects: unknown): unknown {
  return JSON.parse(JSON.stringify(objects), (key, value) => {
    if (key === 'image' && typeof value === 'string' && value.includes('proxyv2')) return 'proxyv2';
    if (key === 'sidecar.istio.io/status' && typeof value === 'string') {
      const { version: _version, ...rest } = JSON.parse(value);
      return rest;
    }
    return value;
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/** Injects the case's input and compares with its golden: leaf fidelity, misses, exact match. */
export function runInjectionCase(c: InjectionCase) {
  const output = normalize(injectObjects(documents(readInjectionFile(c.input)), { nativeSidecars: c.nativeSidecars }));
  const golden = normalize(documents(readInjectionFile(c.golden)));
  return { ...fidelity(golden, output), exact: JSON.stringify(sortKeys(golden)) === JSON.stringify(sortKeys(output)) };
}
