import { spawnSync } from 'node:child_process';
import { chmodSync, linkSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutput } from '../../src/cli/io.js';

const folder = () => mkdtempSync(join(tmpdir(), 'meshform-out-'));

describe('-o writes a regular file whole, or nothing', () => {
  it('creates a new file and leaves no temporary file', () => {
    const dir = folder();
    writeOutput(join(dir, 'out.yaml'), 'kind: Pod\n');
    expect(readFileSync(join(dir, 'out.yaml'), 'utf8')).toBe('kind: Pod\n');
    expect(readdirSync(dir)).toEqual(['out.yaml']);
  });

  it("keeps a replaced file's mode", () => {
    const dir = folder();
    const out = join(dir, 'secret.yaml');
    writeFileSync(out, 'old');
    chmodSync(out, 0o600);
    writeOutput(out, 'new');
    expect(readFileSync(out, 'utf8')).toBe('new');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('refuses a symbolic link, a hard-linked file and a FIFO, leaving what they point at alone', () => {
    const dir = folder();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, join(dir, 'link.yaml'));
    expect(() => writeOutput(join(dir, 'link.yaml'), 'x')).toThrowError(/link\.yaml: it is a symbolic link\. Give -o a path to a regular file/);
    linkSync(victim, join(dir, 'hard.yaml'));
    expect(() => writeOutput(join(dir, 'hard.yaml'), 'x')).toThrowError(/it is a file with other hard links/);
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    if (spawnSync('mkfifo', [join(dir, 'fifo.yaml')]).status === 0) {
      expect(() => writeOutput(join(dir, 'fifo.yaml'), 'x')).toThrowError(/it is a device, socket or FIFO/);
    }
    expect(readdirSync(dir).filter((name) => name.includes('meshform'))).toEqual([]);
  });

  it('follows nothing planted beside the target, as the old predictable temporary name would', () => {
    const dir = folder();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, join(dir, `out.yaml.meshform-${process.pid}.tmp`));
    writeOutput(join(dir, 'out.yaml'), 'new');
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    expect(readFileSync(join(dir, 'out.yaml'), 'utf8')).toBe('new');
  });
});
