#!/usr/bin/env node
// The `meshform` command: the compiled CLI (built by `npm run build`, which `npm ci` runs).
import * as nodeModule from 'node:module';

// Node keeps the compiled code of the modules on disk: later runs start in a fraction of the time
// (Node 22.1 and later; a namespace import, so that an older Node still starts).
nodeModule.enableCompileCache?.();
const { runCli } = await import('../lib/src/cli/main.js');

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
