import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDumpText } from '../analysis/input/parse-dumps.js';
import { NEWEST_MINOR, OLDEST_MINOR } from '../kube/kube-proxy-profiles.js';
import { formatMinors } from '../kube/kube-proxy-version-facts.js';
import { chooseKubeProxyVersion, decidingEvidence, inferKubeProxyVersion } from './infer-kube-proxy-version.js';

/**
 * `--kube-proxy-version auto`: the releases inferred from each public dump of docs/versions.md §7,
 * each version vector's expected text, and the newest conformance outputs.
 */
const VERSIONS = resolve(import.meta.dirname, '../../test/fixtures/versions');
const CONFORMANCE = resolve(import.meta.dirname, '../../test/conformance/iptables');

function infer(file: string, name = file) {
  return inferKubeProxyVersion(parseDumpText(readFileSync(file, 'utf8'), name).ruleSets);
}

/** Each public dump: what it infers, and the release its source names (docs/versions.md §7). */
const DUMPS: ReadonlyArray<{ file: string; inferred: string; stated: number }> = [
  { file: 'cilium-11807-forward-1.18-1.22', inferred: '1.18–1.22', stated: 18 },
  { file: 'k8s-114470-kind-1.26dev', inferred: '1.24–1.33', stated: 26 },
  { file: 'k8s-36652-restore-input-1.5dev', inferred: '1.5–1.11, 1.18–1.19', stated: 5 },
  { file: 'k8s-47533-affinity-1.7', inferred: '1.5–1.11, 1.18–1.21', stated: 7 },
  { file: 'k8s-61005-no-endpoint-comments-1.12-1.17', inferred: '1.12–1.17', stated: 12 },
  { file: 'k8s-85397-xlb-1.16', inferred: '1.16–1.23', stated: 16 },
];

describe('the public dumps of older clusters', () => {
  it('every dump of test/fixtures/versions/dumps is listed here', () => {
    const files = readdirSync(join(VERSIONS, 'dumps')).filter((f) => f.endsWith('.iptables-save'));
    expect(files.map((f) => f.replace(/\.iptables-save$/, '')).sort()).toEqual(DUMPS.map((d) => d.file).sort());
  });
  for (const d of DUMPS) {
    it(`${d.file}: ${d.inferred}`, () => {
      const inference = infer(join(VERSIONS, 'dumps', `${d.file}.iptables-save`));
      expect(inference.conflict).toBeUndefined();
      expect(formatMinors(inference.minors)).toBe(d.inferred);
      expect(inference.minors).toContain(d.stated);
    });
  }
});

describe('real pastes of older clusters (test/fixtures/pasted)', () => {
  const PASTED = resolve(import.meta.dirname, '../../test/fixtures/pasted');

  // The releases their authors name: kind v1.23.5, kubeadm v1.22.8.
  for (const [file, inferred] of [
    ['ericpuwang-kind-whole-dump.txt', '1.23'],
    ['pradeepgadde-k8s1-whole-dump.txt', '1.22'],
  ] as const) {
    it(`${file}: ${inferred}`, () => {
      const inference = infer(join(PASTED, file));
      expect(inference.conflict).toBeUndefined();
      expect(formatMinors(inference.minors)).toBe(inferred);
    });
  }

  it('no paste has lines that cannot all hold', () => {
    for (const f of readdirSync(PASTED).filter((x) => x.endsWith('.txt'))) expect(infer(join(PASTED, f)).conflict, f).toBeUndefined();
  });
});

/** Each vector's expected text (kube-proxy's restore input): the range inferred from it. */
const VECTORS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'v1.2': { common: '1.2–1.3', edge: '1.2–1.3' },
  'v1.3': { common: '1.3', edge: '1.3' },
  'v1.4': { common: '1.4, 1.8', edge: '1.4–1.8' },
  'v1.5': { common: '1.5–1.8', edge: '1.5–1.8' },
  'v1.6': { common: '1.5–1.8', edge: '1.5–1.8' },
  'v1.7': { common: '1.5–1.8', edge: '1.5–1.8' },
  'v1.8': { common: '1.8', edge: '1.5–1.8' },
  'v1.9': { common: '1.9', edge: '1.9' },
  'v1.10-1.11': { common: '1.10–1.11', edge: '1.10–1.11' },
  'v1.12-1.13': { common: '1.12–1.16', edge: '1.12–1.16' },
  'v1.14': { common: '1.12–1.16', edge: '1.12–1.16' },
  'v1.15': { common: '1.15–1.16', edge: '1.15–1.16' },
  'v1.16': { common: '1.16', edge: '1.16' },
  'v1.17': { common: '1.17', edge: '1.17' },
  'v1.18': { common: '1.18', edge: '1.18' },
  'v1.19': { common: '1.19', edge: '1.19–1.20' },
  'v1.20': { common: '1.20', edge: '1.19–1.20' },
  'v1.21': { common: '1.21', edge: '1.21' },
  'v1.22': { common: '1.22', edge: '1.22' },
  'v1.23': { common: '1.23', edge: '1.23' },
  'v1.24': { common: '1.24', edge: '1.24' },
  'v1.25-1.26': { common: '1.25–1.26', edge: '1.25–1.26' },
  'v1.27-1.30': { common: '1.27–1.30', edge: '1.27–1.30', 'overall-test-1.28': '1.27–1.30' },
  'v1.31-1.33': { common: '1.31–1.33', edge: '1.31–1.33' },
};

/** The minors of a vector folder's name, `v1.10-1.11`. */
function minorsOfDir(dir: string): number[] {
  const m = /^v1\.(\d+)(?:-1\.(\d+))?$/.exec(dir);
  const from = Number(m?.[1]);
  const to = m?.[2] === undefined ? from : Number(m[2]);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('the version vectors', () => {
  it('every vector of test/fixtures/versions is listed here', () => {
    const dirs = readdirSync(VERSIONS).filter((d) => d.startsWith('v'));
    expect(dirs.sort()).toEqual(Object.keys(VECTORS).sort());
    for (const d of dirs) expect(readdirSync(join(VERSIONS, d)).sort()).toEqual(Object.keys(VECTORS[d] ?? {}).sort());
  });
  for (const [dir, vectors] of Object.entries(VECTORS)) {
    for (const [vector, inferred] of Object.entries(vectors)) {
      it(`${dir}/${vector}: ${inferred}`, () => {
        const inference = infer(join(VERSIONS, dir, vector, 'expected.iptables'));
        expect(inference.conflict).toBeUndefined();
        expect(formatMinors(inference.minors)).toBe(inferred);
        for (const m of minorsOfDir(dir)) expect(inference.minors).toContain(m);
      });
    }
  }
});

describe('the newest conformance outputs', () => {
  const cases = readdirSync(CONFORMANCE).filter((d) => existsSync(join(CONFORMANCE, d, 'expected.iptables')));
  // The v126-* cases are kube-proxy 1.26's own test expectations (shared/spec §10).
  for (const c of cases.filter((x) => !x.startsWith('v126-'))) {
    it(`${c}: a range up to 1.${NEWEST_MINOR}, compiled as 1.${NEWEST_MINOR}`, () => {
      const ruleSets = parseDumpText(readFileSync(join(CONFORMANCE, c, 'expected.iptables'), 'utf8'), 'expected.iptables').ruleSets;
      const inference = inferKubeProxyVersion(ruleSets);
      expect(inference.conflict).toBeUndefined();
      expect(formatMinors(inference.minors)).toBe(c === 'drop-invalid-tcp-liberal' ? `1.27–1.${NEWEST_MINOR}` : `1.31–1.${NEWEST_MINOR}`);
      expect(chooseKubeProxyVersion(ruleSets, inference)?.minor).toBe(NEWEST_MINOR);
    });
  }
  // From a development branch between 1.26 and 1.27: the FW chain's trailing rule is 1.27's.
  for (const c of cases.filter((x) => x.startsWith('v126-'))) {
    it(`${c}: 1.26 or 1.27 lies in the range`, () => {
      const { minors } = infer(join(CONFORMANCE, c, 'expected.iptables'));
      expect(minors.includes(26) || minors.includes(27)).toBe(true);
    });
  }
});

describe('the note', () => {
  const dump = (text: string) => parseDumpText(text, 'node.save').ruleSets;

  it('names the range, the deciding lines and the release compiled', () => {
    const ruleSets = dump(readFileSync(join(VERSIONS, 'v1.20', 'common', 'expected.iptables'), 'utf8'));
    const chosen = chooseKubeProxyVersion(ruleSets);
    expect(chosen?.minor).toBe(20);
    expect(chosen?.note).toEqual({
      file: 'node.save',
      line: 1,
      column: 1,
      severity: 'note',
      code: 'RC109',
      message:
        'kube-proxy 1.20 inferred from node.save: line 1 a filter table without KUBE-NODEPORTS, before 1.21; line 6 an unnamed port written ns/name (ns5/svc5 has no endpoints), 1.20+; line 14 two KUBE-FORWARD conntrack rules without a CIDR, 1.18–1.22 (and 20 more lines that agree); the manifests are compiled as 1.20',
    });
  });

  it('a range older than rulec compiles: said, and compiled as the oldest it compiles', () => {
    const text = readFileSync(join(VERSIONS, 'dumps', 'k8s-61005-no-endpoint-comments-1.12-1.17.iptables-save'), 'utf8');
    const chosen = chooseKubeProxyVersion(dump(text));
    const facts = 'line 28 a KUBE-SEP- rule without a comment (KUBE-SEP-43JXX3WIN2SOR6EG), 1.12–1.17 (and 1 more line that agrees)';
    if (OLDEST_MINOR > 17) {
      expect(chosen?.minor).toBe(OLDEST_MINOR);
      expect(chosen?.note.severity).toBe('warning');
      expect(chosen?.note.message).toBe(
        `kube-proxy 1.12–1.17 inferred from node.save: ${facts}; rulec compiles 1.${OLDEST_MINOR} to 1.${NEWEST_MINOR} only, so the manifests are compiled as 1.${OLDEST_MINOR} and differ from the dump in that layout`,
      );
    } else {
      // Once rulec compiles these releases, the newest of the range.
      expect(chosen?.minor).toBe(17);
      expect(chosen?.note.message).toBe(`kube-proxy 1.12–1.17 inferred from node.save: ${facts}; the manifests are compiled as 1.17`);
    }
  });

  it('facts that cannot both hold: the two lines, and the newest compiled', () => {
    const text = [
      '*nat',
      ':KUBE-XLB-AAAAAAAAAAAAAAAA - [0:0]',
      ':KUBE-SVL-AAAAAAAAAAAAAAAA - [0:0]',
      'COMMIT',
      '',
    ].join('\n');
    const inference = inferKubeProxyVersion(dump(text));
    expect(inference.minors).toEqual([]);
    expect(inference.conflict?.map((e) => [e.fact, e.line])).toEqual([
      ['xlbChain', 2],
      ['extOrSvlChain', 3],
    ]);
    expect(chooseKubeProxyVersion(dump(text))?.note).toEqual({
      file: 'node.save',
      line: 2,
      column: 1,
      severity: 'warning',
      code: 'RC109',
      message:
        'kube-proxy version not inferred: line 2 a KUBE-XLB- chain (KUBE-XLB-AAAAAAAAAAAAAAAA), 1.5–1.23 and line 3 a KUBE-EXT-/KUBE-SVL- chain (KUBE-SVL-AAAAAAAAAAAAAAAA), 1.24+ cannot both hold; the manifests are compiled as 1.33',
    });
  });

  it('nothing that tells the release: the newest', () => {
    const chosen = chooseKubeProxyVersion(dump('*nat\n:KUBE-SERVICES - [0:0]\nCOMMIT\n'));
    expect(chosen?.minor).toBe(NEWEST_MINOR);
    expect(chosen?.note.message).toBe('kube-proxy version not inferred: nothing in the dump tells the release; the manifests are compiled as 1.33');
  });

  it('a weak fact gives way to the firm ones (KUBE-FIREWALL turned off on a 1.27+ node)', () => {
    const inference = infer(join(CONFORMANCE, 'v126-lb-source-ranges', 'expected.iptables'));
    expect(inference.conflict).toBeUndefined();
    expect(formatMinors(inference.minors)).toBe('1.27–1.30');
    expect(inference.evidence.map((e) => e.fact)).not.toContain('noKubeFirewallInRestore');
    expect(decidingEvidence(inference).map((e) => e.fact)).toEqual(['invalidDropWithoutNfacct', 'fwTrailingComment']);
  });
});
