import type { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { airflow } from './airflow.js';
import { bookinfo } from './bookinfo.js';
import { canary } from './canary.js';
import { nifi } from './nifi.js';
import { traffic } from './traffic.js';

/** Every example, by the name of the chart (and of the file in dist/) it synthesizes. */
export const EXAMPLES: Readonly<Record<string, (scope: Construct) => Chart>> = {
  airflow,
  bookinfo,
  canary,
  nifi,
  traffic,
};
