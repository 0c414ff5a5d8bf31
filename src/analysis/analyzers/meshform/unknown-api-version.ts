// meshform's own check (an MF code): Istio skips objects it cannot decode without a word.
import { hasSchema, isKnownGroup } from '../../../../imports/schemas.js';
import type { Analyzer } from '../../context.js';

/** `group/version` or, for the core group, `version`, as Kubernetes spells an apiVersion. */
const API_VERSION = /^(?:[a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;

/** The groups whose every served version meshform has the schemas of: Istio's and the Gateway API's. */
const fullyKnown = (group: string) => group.endsWith('.istio.io') || group === 'gateway.networking.k8s.io' || group === 'gateway.networking.x-k8s.io';

/**
 * Objects no API server would take (MF0012): an apiVersion that is not one (`1`, `v1/apps/x`), or
 * a version or kind that Istio or the Gateway API does not serve (`networking.istio.io/v9`).
 * Every other analyzer passes over such an object, so without this the input looks clean.
 */
export const unknownApiVersionAnalyzer: Analyzer = {
  name: 'meshform.UnknownApiVersionAnalyzer',
  codes: ['MF0012'],
  analyze(context) {
    for (const object of context.inputObjects) {
      const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
      if (typeof kind !== 'string') continue;
      if (typeof apiVersion !== 'string' || !API_VERSION.test(apiVersion)) {
        context.report('MalformedApiVersion', object, [typeof apiVersion === 'number' || typeof apiVersion === 'string' ? JSON.stringify(apiVersion) : typeof apiVersion], 'apiVersion');
        continue;
      }
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      if (fullyKnown(group) && isKnownGroup(group) && !hasSchema(apiVersion, kind)) context.report('UnknownApiVersion', object, [kind, apiVersion], 'apiVersion');
    }
  },
};
