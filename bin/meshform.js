#!/usr/bin/env node
// The `meshform` command: the compiled CLI (built by `npm run build`, which `npm ci` runs).
import { runCli } from '../lib/src/cli/main.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
