import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

/**
 * Public dumps of older kube-proxy layouts (test/fixtures/versions/dumps, each with a `.md` naming
 * its source) are reproduced by compiling the manifests reconstructed next to them
 * (`<dump>.input.yaml`, which names the version in its `rulec.io/kube-proxy-version` annotation).
 *
 * The dumps are excerpts, so each line of an excerpt must be a line of the compiled text, in the
 * same order: an `iptables-save` dump against `compile --as-saved --with-hooks` (the kernel's
 * order), kube-proxy's own restore input against `compile` chain by chain (kube-proxy wrote the
 * chains in its own order, rulec in canonical order). The poster's groups (separated by blank or
 * `#` lines) are checked one by one. Lines that are not kube-proxy's, or that no input can give,
 * are listed per dump with the reason (also in the dump's `.md`), and are checked to be absent
 * from the compiled text.
 */
const DUMPS = resolve(import.meta.dirname, '../fixtures/versions/dumps');

interface Dump {
  name: string;
  /** `saved`: iptables-save output; `restore`: kube-proxy's iptables-restore input. */
  form: 'saved' | 'restore';
  /** `iptables-save -c`: each rule starts with its `[packets:bytes]` counters. */
  counters?: boolean;
  /** Lines left out of the comparison, each with why. */
  notReproduced: ReadonlyArray<{ line: RegExp; why: string }>;
}

const KUBELET_MARK_DROP = { line: /^(:KUBE-MARK-DROP - \[0:0\]|-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000\/0x8000)$/, why: "kubelet's KUBE-MARK-DROP chain, not kube-proxy's" };

const CASES: readonly Dump[] = [
  {
    name: 'k8s-36652-restore-input-1.5dev',
    form: 'restore',
    notReproduced: [{ line: /^-A KUBE-XLB-574IYFDEANSYIEBF .* -s {2}-j /, why: 'a 1.5 development build wrote the redirect rule with an empty -s when no cluster CIDR was set; v1.5.0 leaves the rule out' }],
  },
  {
    name: 'k8s-47533-affinity-1.7',
    form: 'saved',
    notReproduced: [{ line: /KUBE-SEP-6FZLAPUAJM6OKK6A/, why: "the API server endpoint's address and port are not in the excerpt, and no private address on a usual port gives this KUBE-SEP hash" }],
  },
  {
    name: 'k8s-61005-no-endpoint-comments-1.12-1.17',
    form: 'saved',
    notReproduced: [
      { line: /^:(OUTPUT|POSTROUTING) ACCEPT \[11:676\]$/, why: "the node's packet counters" },
      { line: /^:DOCKER - \[0:0\]$/, why: "Docker's chain" },
      KUBELET_MARK_DROP,
    ],
  },
  {
    name: 'k8s-85397-xlb-1.16',
    form: 'saved',
    counters: true,
    notReproduced: [],
  },
  {
    name: 'cilium-11807-forward-1.18-1.22',
    form: 'saved',
    notReproduced: [],
  },
  {
    name: 'k8s-114470-kind-1.26dev',
    form: 'saved',
    notReproduced: [{ line: /^-A KIND-MASQ-AGENT /, why: "kind's masquerade agent" }, KUBELET_MARK_DROP],
  },
];

/** The dump's groups of lines: split at blank and `#` lines, counters taken off. */
function groupsOf(text: string, counters: boolean): string[][] {
  const groups: string[][] = [[]];
  for (const raw of text.split('\n')) {
    const line = counters ? raw.replace(/^\[\d+:\d+\] /, '') : raw;
    if (line.trim() === '' || line.startsWith('#')) {
      if ((groups.at(-1) as string[]).length > 0) groups.push([]);
      continue;
    }
    (groups.at(-1) as string[]).push(line);
  }
  return groups.filter((g) => g.length > 0);
}

/** The first line of `wanted` that is not found, in order, in `lines`; undefined when all are. */
function firstMissing(wanted: readonly string[], lines: readonly string[]): string | undefined {
  let at = 0;
  for (const w of wanted) {
    while (at < lines.length && lines[at] !== w) at++;
    if (at === lines.length) return w;
    at++;
  }
  return undefined;
}

const chainOf = (line: string): string | undefined => /^-A (\S+) /.exec(line)?.[1];

describe('public dumps of older kube-proxy layouts are reproduced from reconstructed manifests', () => {
  for (const d of CASES) {
    it(d.name, async () => {
      const input = join(DUMPS, `${d.name}.input.yaml`);
      const r = await runCli(['compile', ...(d.form === 'saved' ? ['--as-saved', '--with-hooks'] : []), input]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const compiled = r.stdout.split('\n');

      const skipped = (l: string) => d.notReproduced.some((n) => n.line.test(l));
      let checked = 0;
      for (const group of groupsOf(readFileSync(join(DUMPS, `${d.name}.iptables-save`), 'utf8'), d.counters ?? false)) {
        const wanted = group.filter((l) => !skipped(l));
        checked += wanted.length;
        if (d.form === 'saved') {
          expect({ group: group[0], missing: firstMissing(wanted, compiled) }).toEqual({ group: group[0], missing: undefined });
          continue;
        }
        // Restore input: chain by chain, and every other line (chain lines, COMMIT) somewhere.
        for (const chain of new Set(wanted.map(chainOf))) {
          const mine = (ls: readonly string[]) => ls.filter((l) => chainOf(l) === chain);
          if (chain === undefined) for (const l of mine(wanted)) expect(compiled).toContain(l);
          else expect({ chain, missing: firstMissing(mine(wanted), mine(compiled)) }).toEqual({ chain, missing: undefined });
        }
      }
      expect(checked).toBeGreaterThan(0);

      // What is left out is indeed not what rulec writes.
      for (const l of compiled) expect({ line: l, skipped: skipped(l) }).toEqual({ line: l, skipped: false });
    });
  }
});
