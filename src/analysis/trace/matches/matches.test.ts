import { describe, expect, it } from 'vitest';
import type { Arg, Rule } from '../../../ast/types.js';
import { parseIp } from '../../../kube/ip.js';
import { evaluateRule } from '../chain-walker.js';
import { IpsetIndex } from '../ipset-index.js';
import { LocalAddresses } from '../local-addresses.js';
import type { MatchContext } from '../match-context.js';
import type { Packet } from '../packet.js';
import { splitRule } from '../rule-parts.js';
import { kernelProbability } from './statistic.js';
import { applyTarget } from '../targets.js';
import type { Branch } from '../branch.js';

/** A rule from words as iptables-save writes them (values never contain spaces here). */
function parse(text: string): Rule {
  const words = text.split(' ');
  const args: Arg[] = [];
  let negated = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '!') {
      negated = true;
      continue;
    }
    const values: string[] = [];
    while (i + 1 < words.length && !(words[i + 1] ?? '').startsWith('-') && words[i + 1] !== '!') values.push(words[++i] ?? '');
    args.push({ flag: w, negated, values });
    negated = false;
  }
  return { args };
}

const ip = (t: string) => {
  const p = parseIp(t);
  if (!p) throw new Error(t);
  return p;
};

function packet(change: Partial<Packet> = {}): Packet {
  return {
    family: 'ipv4',
    protocol: 'tcp',
    src: ip('10.0.0.2'),
    srcPort: null,
    dst: ip('172.30.0.41'),
    dstPort: 80,
    mark: 0,
    inIface: null,
    outIface: null,
    origDst: ip('172.30.0.41'),
    origDstPort: 80,
    dnat: false,
    snat: false,
    ...change,
  };
}

const local = new LocalAddresses([ip('192.168.0.2')]);

function ctx(p: Packet, extra: Partial<MatchContext> = {}): MatchContext {
  return { packet: p, local, hook: 'PREROUTING', ipsets: null, isVirtualService: () => false, options: {}, ...extra };
}

const p = (rule: string, pk: Packet = packet(), extra: Partial<MatchContext> = {}) => evaluateRule(parse(rule), ctx(pk, extra)).p;

describe('rule parts', () => {
  it('gives each option to the module that owns it, as iptables does', () => {
    const parts = splitRule(parse('-m comment --comment x -m tcp -p tcp -d 10.0.0.1 --dport 80 -j DNAT --to-destination 1.2.3.4:80'));
    expect(parts.base.map((a) => a.flag)).toEqual(['-p', '-d']);
    expect(parts.modules.map((m) => [m.name, m.options.map((o) => o.flag)])).toEqual([
      ['comment', ['--comment']],
      ['tcp', ['--dport']],
    ]);
    expect(parts.target).toEqual({ name: 'DNAT', goto: false, options: [{ flag: '--to-destination', negated: false, values: ['1.2.3.4:80'] }] });
  });
  it('loads the protocol match implicitly for -p tcp --dport', () => {
    const parts = splitRule(parse('-p udp --dport 53 -j ACCEPT'));
    expect(parts.modules).toEqual([{ name: 'udp', implicit: true, options: [{ flag: '--dport', negated: false, values: ['53'] }] }]);
  });
});

describe('match evaluators', () => {
  it('addresses, protocols and ports, with negation', () => {
    expect(p('-d 172.30.0.41/32 -p tcp -m tcp --dport 80')).toBe(1);
    expect(p('-d 172.30.0.0/16 ! -s 10.0.0.0/8')).toBe(0);
    expect(p('-d 172.30.0.0/255.255.0.0')).toBe(1);
    expect(p('-p udp -m udp --dport 80')).toBe(0);
    expect(p('-m tcp -p tcp --dport 79:81')).toBe(1);
    expect(p('-m tcp -p tcp ! --dport 80')).toBe(0);
    expect(p('-m multiport -p tcp --dports 22,70:90,443')).toBe(1);
    expect(p('-p 6')).toBe(1);
  });
  it('addrtype LOCAL is the node IPs and loopback', () => {
    expect(p('-m addrtype --dst-type LOCAL', packet({ dst: ip('192.168.0.2') }))).toBe(1);
    expect(p('-m addrtype --dst-type LOCAL', packet({ dst: ip('127.0.0.53') }))).toBe(1);
    expect(p('-m addrtype --dst-type LOCAL')).toBe(0);
    expect(p('-m addrtype ! --src-type LOCAL')).toBe(1);
  });
  it('mark: (mark & mask) == value', () => {
    expect(p('-m mark --mark 0x4000/0x4000', packet({ mark: 0x4001 }))).toBe(1);
    expect(p('-m mark ! --mark 0x4000/0x4000', packet({ mark: 0x4001 }))).toBe(0);
    expect(p('-m mark --mark 0x1', packet({ mark: 0x4001 }))).toBe(0);
  });
  it('conntrack: a new packet, DNAT once translated', () => {
    expect(p('-m conntrack --ctstate NEW')).toBe(1);
    expect(p('-m conntrack --ctstate RELATED,ESTABLISHED')).toBe(0);
    expect(p('-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT', packet({ dnat: true }))).toBe(0);
    expect(p('-m state --state NEW')).toBe(1);
    expect(p('-m conntrack --ctorigdst 172.30.0.41', packet({ dst: ip('10.180.0.1'), dnat: true }))).toBe(1);
  });
  it('statistic: the kernel-rounded probability; nfacct and comment always match', () => {
    expect(p('-m statistic --mode random --probability 0.5')).toBe(0.5);
    expect(p('-m statistic --mode random --probability 0.3333333333')).toBe(kernelProbability(0.3333333333));
    expect(kernelProbability(0.3333333333)).toBe(715827883 / 2 ** 31);
    expect(p('-m nfacct --nfacct-name localhost_nps_accepted_pkts -m comment --comment x')).toBe(1);
  });
  it('set: ipset members by dimension and direction', () => {
    const ipsets = new IpsetIndex([
      {
        kind: 'ipset',
        origin: 'test',
        fidelity: 'exact',
        sets: [
          { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', options: [], members: [{ value: '172.30.0.41,tcp:80', options: [] }] },
          { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', options: [], members: [{ value: '30080', options: [] }] },
          { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', options: [], members: [{ value: '10.180.0.1,tcp:80,10.180.0.1', options: [] }] },
        ],
      },
    ]);
    expect(p('-m set --match-set KUBE-CLUSTER-IP dst,dst', packet(), { ipsets })).toBe(1);
    expect(p('-m set --match-set KUBE-CLUSTER-IP dst,dst', packet({ dstPort: 81 }), { ipsets })).toBe(0);
    expect(p('-m set ! --match-set KUBE-CLUSTER-IP dst,dst', packet({ protocol: 'udp' }), { ipsets })).toBe(1);
    expect(p('-m set --match-set KUBE-NODE-PORT-TCP dst', packet({ dstPort: 30080 }), { ipsets })).toBe(1);
    expect(p('-m set --match-set KUBE-LOOP-BACK dst,dst,src', packet({ src: ip('10.180.0.1'), dst: ip('10.180.0.1') }), { ipsets })).toBe(1);
    const missing = evaluateRule(parse('-m set --match-set KUBE-EXTERNAL-IP dst,dst'), ctx(packet(), { ipsets }));
    expect(missing).toEqual({ p: 0, notes: [{ kind: 'not-modelled', message: '-m set --match-set KUBE-EXTERNAL-IP (the ipset is not among the inputs; add an ipset save/list dump): not modelled; assumed not to match' }] });
  });
  it('says "not modelled" for matches it cannot judge instead of guessing', () => {
    const v = evaluateRule(parse('-m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT'), ctx(packet()));
    expect(v.p).toBe(0);
    expect(v.notes).toEqual([{ kind: 'not-modelled', message: '-m physdev --physdev-is-in: not modelled; assumed not to match' }]);
    const iface = evaluateRule(parse('! -i cbr0 -j KUBE-MARK-MASQ'), ctx(packet()));
    expect(iface.notes[0]?.message).toBe('! -i cbr0 (the interface is not known; pass --in-iface): not modelled; assumed not to match');
    expect(p('! -i cbr0', packet({ inIface: 'veth1' }))).toBe(1);
    expect(p('-i veth+', packet({ inIface: 'veth1' }))).toBe(1);
  });
});

describe('targets', () => {
  const branch = (): Branch => ({ packet: packet(), probability: 1, steps: [], notes: [], markedForMasquerade: false, masqueraded: false, dnatTo: null });
  const target = (text: string) => splitRule(parse(text)).target;
  it('MARK --or-mark, --xor-mark and --set-xmark change the mark as the kernel does', () => {
    const b = branch();
    applyTarget(target('-j MARK --or-mark 0x4000'), b, 'PREROUTING', 'nat', () => false);
    expect(b.packet.mark).toBe(0x4000);
    applyTarget(target('-j MARK --set-xmark 0x1/0xffff'), b, 'PREROUTING', 'nat', () => false);
    expect(b.packet.mark).toBe(0x1);
    applyTarget(target('-j MARK --or-mark 0x4000'), b, 'PREROUTING', 'nat', () => false);
    applyTarget(target('-j MARK --xor-mark 0x4000'), b, 'PREROUTING', 'nat', () => false);
    expect(b.packet.mark).toBe(0x1);
  });
  it('DNAT rewrites the destination and keeps the original for conntrack', () => {
    const b = branch();
    expect(applyTarget(target('-j DNAT --to-destination [fd00::1]:8080'), b, 'PREROUTING', 'nat', () => false)).toEqual({ kind: 'end', verdict: 'DNAT', action: 'DNAT to [fd00::1]:8080' });
    expect(b.packet.dst.text).toBe('fd00::1');
    expect(b.packet.dstPort).toBe(8080);
    expect(b.packet.origDst.text).toBe('172.30.0.41');
    expect(b.dnatTo).toBe('[fd00::1]:8080');
  });
  it('an unknown target is noted and passed', () => {
    const effect = applyTarget(target('-j FANCY'), branch(), 'FORWARD', 'filter', () => false);
    expect(effect.kind).toBe('continue');
  });
});
