import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { canRunKernel, inNamespace } from '../support/kernel.js';
import { IPVS_PROFILE_RANGES } from '../../src/kube/kube-proxy-ipvs-profiles.js';
import { NEWEST_MINOR } from '../../src/kube/kube-proxy-profiles.js';

/**
 * `--mode ipvs --kube-proxy-version 1.N`: the IPVS version vectors of docs/versions.md §6
 * (test/fixtures/versions/ipvs: one input, one expected `--emit all` text per release range)
 * compile byte for byte for every minor of their range, and load into a kernel: the ipset part
 * with `ipset restore`, the iptables part with `iptables-nft-restore --test` and for real. This
 * kernel has no IPVS, so the ipvsadm part is compared as text only.
 */
const DIR = resolve(import.meta.dirname, '../fixtures/versions/ipvs');
const INPUT = join(DIR, 'input.yaml');

/** The vector directories with the minors of each, from the profile table (newest first). */
const RANGES = IPVS_PROFILE_RANGES.map((r, i) => {
  const to = i === 0 ? NEWEST_MINOR : (IPVS_PROFILE_RANGES[i - 1]?.from ?? NEWEST_MINOR + 1) - 1;
  const minors = Array.from({ length: to - r.from + 1 }, (_, k) => r.from + k);
  return { dir: to === r.from ? `v1.${r.from}` : `v1.${r.from}-1.${to}`, minors };
});

const read = (dir: string, file: string) => readFileSync(join(DIR, dir, file), 'utf8');
const flagsOf = (dir: string) => read(dir, 'flags').trim().split(/\s+/).filter(Boolean);

/** The sections of an `--emit all` text. */
function sections(all: string): { ipvsadm: string; ipset: string; iptables: string } {
  const m = /^# --- ipvsadm ---\n([\s\S]*)\n# --- ipset ---\n([\s\S]*)\n# --- iptables ---\n([\s\S]*)$/.exec(all);
  if (!m) throw new Error('not an --emit all text');
  return { ipvsadm: m[1] ?? '', ipset: m[2] ?? '', iptables: m[3] ?? '' };
}

describe('IPVS version vectors', () => {
  it('every vector directory is a range of the IPVS profiles', () => {
    const dirs = readdirSync(DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(dirs.sort()).toEqual(RANGES.map((r) => r.dir).sort());
  });

  for (const { dir, minors } of RANGES) {
    it(`${dir}: its flags give its expected text`, async () => {
      const r = await runCli(['compile', ...flagsOf(dir), INPUT]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(read(dir, 'expected.all'));
    });

    it(`${dir}: every minor of the range gives the same text (${minors.map((m) => `1.${m}`).join(', ')})`, async () => {
      const expected = read(dir, 'expected.all');
      for (const m of minors) {
        const r = await runCli(['compile', '--mode', 'ipvs', '--emit', 'all', '--kube-proxy-version', `1.${m}`, INPUT]);
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(expected);
      }
    });
  }

  it('consecutive ranges write different text for this input', () => {
    const texts = RANGES.map((r) => read(r.dir, 'expected.all'));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('the newest range is what compiling without a version gives', async () => {
    const r = await runCli(['compile', '--mode', 'ipvs', '--emit', 'all', INPUT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(read(RANGES[0]?.dir ?? '', 'expected.all'));
  });

  it('a release before the oldest IPVS layout compiled is RC104', async () => {
    for (const v of ['1.10', '1.18']) {
      const r = await runCli(['compile', '--mode', 'ipvs', '--kube-proxy-version', v, INPUT]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('RC104');
    }
  });
});

describe('IPVS version vectors load into a kernel', () => {
  const work = mkdtempSync(join(tmpdir(), 'rulec-ipvs-versions-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const ready = canRunKernel('ipset', 'iptables-nft-restore', 'iptables-nft-save', 'iptables-nft');
  // kubelet's KUBE-MARK-DROP, which the 1.20-1.24 payloads jump to without declaring it.
  const markDrop = 'iptables-nft -t nat -N KUBE-MARK-DROP && iptables-nft -t nat -A KUBE-MARK-DROP -j MARK --or-mark 0x00008000 &&';
  const rules = (text: string) => text.split('\n').filter((l) => l.startsWith('-A '));
  const count = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix)).length;
  // `-m ipvs` needs xt_ipvs, missing where IPVS is: those rules are left out when it does not load.
  const probe = '*filter\n:P - [0:0]\n-A P -m ipvs --vaddr 10.0.0.1 --vproto tcp --vport 80 -j DROP\nCOMMIT\n';
  const ipvsMatchLoads = ready && inNamespace('iptables-nft-restore --noflush', probe).status === 0;

  for (const { dir } of RANGES) {
    it.skipIf(!ready)(`${dir}: ipset restore, iptables-nft-restore --test and a real load`, () => {
      const { ipvsadm, ipset, iptables } = sections(read(dir, 'expected.all'));
      expect(ipvsadm.startsWith('-A ')).toBe(true);
      const declaresMarkDrop = iptables.includes(':KUBE-MARK-DROP - [0:0]\n');
      const setup = iptables.includes('-j KUBE-MARK-DROP') && !declaresMarkDrop ? markDrop : '';
      const loadable = ipvsMatchLoads ? iptables : iptables.split('\n').filter((l) => !/ -m ipvs /.test(l)).join('\n');
      const setsFile = join(work, `${dir}.ipset`);
      const rulesFile = join(work, `${dir}.rules`);
      writeFileSync(setsFile, ipset);
      writeFileSync(rulesFile, loadable);
      const tested = inNamespace(`ipset restore < "${setsFile}" && ${setup} iptables-nft-restore --noflush --test < "${rulesFile}"`);
      expect(tested.stderr).toBe('');
      expect(tested.status).toBe(0);
      const loaded = inNamespace(`ipset restore < "${setsFile}" && ${setup} iptables-nft-restore --noflush < "${rulesFile}" && ipset save && echo '# rules' && iptables-nft-save`);
      expect(loaded.stderr).toBe('');
      expect(loaded.status).toBe(0);
      const [sets = '', dump = ''] = loaded.stdout.split('# rules\n');
      expect(count(sets, 'create ')).toBe(count(ipset, 'create '));
      expect(count(sets, 'add ')).toBe(count(ipset, 'add '));
      expect(rules(dump).filter((l) => l.includes('KUBE-') && !l.startsWith('-A KUBE-MARK-DROP ')).length).toBe(rules(loadable).length);
    });
  }
});
