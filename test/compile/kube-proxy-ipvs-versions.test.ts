import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { canRunKernel, inNamespace } from '../support/kernel.js';
import { IPVS_PROFILE_RANGES } from '../../src/kube/kube-proxy-ipvs-profiles.js';

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
const RANGES = IPVS_PROFILE_RANGES.map(({ minors }) => {
  const from = minors[0] ?? 0;
  const to = minors[minors.length - 1] ?? 0;
  return { dir: to === from ? `v1.${from}` : `v1.${from}-1.${to}`, minors };
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

  it('consecutive ranges write different text for this input, but for 1.27 (only `mh` changed)', () => {
    const texts = RANGES.map((r) => read(r.dir, 'expected.all'));
    for (let i = 1; i < RANGES.length; i++) {
      const same = texts[i] === texts[i - 1];
      expect(same ? `${RANGES[i - 1]?.dir} = ${RANGES[i]?.dir}` : 'differ').toBe(RANGES[i - 1]?.dir === 'v1.27' ? 'v1.27 = v1.26' : 'differ');
    }
  });

  it('the mh scheduler hashes the source port too from 1.27 (-b mh-port)', async () => {
    const input = readFileSync(INPUT, 'utf8').replace('mode: ipvs\n', 'mode: ipvs\nipvs:\n  scheduler: mh\n');
    for (const [v, flag] of [['1.26', false], ['1.27', true], ['1.33', true]] as const) {
      const r = await runCli(['compile', '--mode', 'ipvs', '--kube-proxy-version', v, '-'], input);
      expect(r.code).toBe(0);
      const services = r.stdout.split('\n').filter((l) => l.startsWith('-A '));
      expect(services.length).toBeGreaterThan(0);
      for (const l of services) {
        expect(l).toContain(' -s mh');
        expect(l.includes(' -b mh-port')).toBe(flag);
      }
    }
  });

  it('the newest range is what compiling without a version gives', async () => {
    const r = await runCli(['compile', '--mode', 'ipvs', '--emit', 'all', INPUT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(read(RANGES[0]?.dir ?? '', 'expected.all'));
  });

  it('the mode may come from the configuration, the release from the flag or the annotation', async () => {
    const input = readFileSync(INPUT, 'utf8');
    const withFlag = await runCli(['compile', '--mode', 'ipvs', '--kube-proxy-version', '1.16', '-'], input);
    expect(withFlag.code).toBe(0);
    const fromConfig = await runCli(['compile', '--kube-proxy-version', '1.16', '-'], input);
    expect(fromConfig.code).toBe(0);
    expect(fromConfig.stdout).toBe(withFlag.stdout);
    const annotated = await runCli(['compile', '-'], input.replace('  annotations:\n', '  annotations:\n    rulec.io/kube-proxy-version: "1.16"\n'));
    expect(annotated.code).toBe(0);
    expect(annotated.stdout).toBe((await runCli(['compile', '--mode', 'ipvs', '--kube-proxy-version', '1.16', '-'], input)).stdout);
  });

  it('a release whose IPVS layout is not compiled is RC104, saying which are', async () => {
    for (const [v, why] of [
      ['1.10', 'IPVS mode is generally available from 1.11 only'],
      ['1.11', 'the IPVS layout of 1.11'],
    ] as const) {
      for (const how of [['--kube-proxy-version', v], []]) {
        const input = how.length > 0 ? readFileSync(INPUT, 'utf8') : readFileSync(INPUT, 'utf8').replace('  annotations:\n', `  annotations:\n    rulec.io/kube-proxy-version: "${v}"\n`);
        const r = await runCli(['compile', '--mode', 'ipvs', ...how, '-'], input);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain('RC104');
        // The flag is checked before the mode is known; the annotation is judged in IPVS terms.
        if (how.length === 0) expect(r.stderr).toContain(why);
        if (how.length === 0) expect(r.stderr).toContain('IPVS mode is compiled for 1.12 to 1.33');
      }
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
