import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { vectors } from '../support/vectors.js';

/** Every iptables conformance vector, compiled in-process, byte for byte. */
describe('iptables conformance vectors', () => {
  for (const v of vectors('iptables')) {
    for (const [ext, file] of Object.entries(v.expected)) {
      const family = ext === 'ip6tables' ? ['--family', 'ipv6'] : [];
      it(`${v.name} (${ext})`, async () => {
        const r = await runCli(['compile', '--mode', 'iptables', '--emit', 'iptables', ...family, ...v.flags, v.input]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(readFileSync(file, 'utf8'));
      });
    }
  }
});

describe('partial conformance vectors (expected-lines)', () => {
  for (const v of vectors('iptables')) {
    const file = `${v.dir}/expected-lines.iptables`;
    let want: string[];
    try {
      want = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    } catch {
      continue;
    }
    it(`${v.name} contains its expected lines in order`, async () => {
      const r = await runCli(['compile', '--mode', 'iptables', ...v.flags, v.input]);
      expect(r.code).toBe(0);
      const got = r.stdout.split('\n');
      let i = 0;
      for (const l of got) if (i < want.length && l === want[i]) i++;
      expect(want.slice(i)).toEqual([]);
    });
  }
});

/** Every nftables conformance vector, byte for byte (`expected.nft`, knftables' Dump layout). */
describe('nftables conformance vectors', () => {
  for (const v of vectors('nftables')) {
    const file = v.expected.nft;
    if (!file) continue;
    it(`${v.name} (nft)`, async () => {
      const r = await runCli(['compile', '--mode', 'nftables', '--emit', 'nft', ...v.flags, v.input]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(file, 'utf8'));
    });
  }
  it('has the vectors', () => {
    expect(vectors('nftables').length).toBeGreaterThanOrEqual(4);
  });
});
