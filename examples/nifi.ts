import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { buildNifi, type NifiOptions } from '../src/blueprints/nifi.js';

export { buildNifi, type NifiOptions } from '../src/blueprints/nifi.js';

/** The NiFi blueprint (`meshform/blueprints/nifi`) in a chart of its own, as a team would call it. */
export function nifi(scope: Construct, options: NifiOptions = {}): Chart {
  const chart = new Chart(scope, 'nifi');
  // The example's gateway certificate comes from cert-manager, so that its output is complete.
  buildNifi(chart, { certificateIssuer: { name: 'letsencrypt' }, ...options });
  return chart;
}
