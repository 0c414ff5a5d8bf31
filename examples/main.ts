import { App } from 'cdk8s';
import { EXAMPLES } from './index.js';

/** Synthesizes every example into dist/ (one <chart>.k8s.yaml each); run by `cdk8s synth`. */
const app = new App();
for (const example of Object.values(EXAMPLES)) example(app);
app.synth();
