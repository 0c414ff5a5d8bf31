import { App } from 'cdk8s';
import { bookinfo } from './bookinfo.js';

/** Synthesizes every example into dist/ (one <chart>.k8s.yaml each); run by `cdk8s synth`. */
const app = new App();
bookinfo(app);
app.synth();
