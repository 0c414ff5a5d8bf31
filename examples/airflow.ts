import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { buildAirflow, type AirflowOptions } from '../src/blueprints/airflow.js';

export { buildAirflow, type AirflowOptions } from '../src/blueprints/airflow.js';

/** The Airflow blueprint (`meshform/blueprints/airflow`) in a chart of its own, as a team would call it. */
export function airflow(scope: Construct, options: AirflowOptions = {}): Chart {
  const chart = new Chart(scope, 'airflow');
  // The example's gateway certificate comes from cert-manager, so that its output is complete.
  buildAirflow(chart, { certificateIssuer: { name: 'letsencrypt' }, ...options });
  return chart;
}
