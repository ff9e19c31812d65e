import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { printIptablesRestore } from '../../ast/print-iptables.js';
import { loadRules } from '../input/load-rules.js';
import { relevantRuleSets } from '../input/relevant.js';
import { parseDumpText } from '../input/parse-dumps.js';
import { CONFORMANCE } from '../../../test/support/trace.js';
import { RULE_KINDS } from './classify.js';
import { explainRuleSets, LANGUAGES, type ExplainedItem } from './explain.js';
import { LANGS } from './language.js';

const IPT = join(CONFORMANCE, 'iptables');
const IPVS = join(CONFORMANCE, 'ipvs');

function explainFile(path: string, lang: 'en' | 'zh'): ExplainedItem[] {
  const { ruleSets, diagnostics } = parseDumpText(readFileSync(path, 'utf8'), path);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return explainRuleSets(ruleSets, { lang });
}

/** A sentence that is specific: no stand-ins, no template holes. */
function assertSpecific(i: ExplainedItem): void {
  expect(i.ruleKind, i.text).not.toBe('generic');
  expect(i.sentence, i.text).not.toMatch(/undefined|null|NaN|\?|\$\{/);
  expect(i.sentence.length, i.text).toBeGreaterThan(12);
}

describe('explain covers every rule kube-proxy writes, in English and Chinese', () => {
  const outputs = readdirSync(IPT).flatMap((d) => ['expected.iptables', 'expected.ip6tables'].map((f) => join(IPT, d, f)).filter((p) => existsSync(p)));

  it('every rule of every iptables conformance output has a specific sentence', () => {
    let rules = 0;
    const kinds = new Set<string>();
    for (const p of outputs) {
      const en = explainFile(p, 'en');
      const zh = explainFile(p, 'zh');
      expect(zh.length).toBe(en.length);
      en.forEach((e, n) => {
        const z = zh[n] as ExplainedItem;
        if (e.what !== 'rule') return;
        rules++;
        kinds.add(e.ruleKind ?? '');
        assertSpecific(e);
        assertSpecific(z);
        expect(z.ruleKind).toBe(e.ruleKind);
        // Chinese sentences are Chinese, not a copy of the English one.
        expect(z.sentence, e.text).toMatch(/[\u4e00-\u9fff]/);
        expect(z.sentence).not.toBe(e.sentence);
      });
    }
    expect(outputs.length).toBeGreaterThanOrEqual(33);
    expect(rules).toBeGreaterThan(9000);
    expect(kinds.size).toBeGreaterThanOrEqual(30);
  });

  it('every rule of the compiled IPVS vectors (iptables payload, virtual services, ipsets) has a specific sentence', () => {
    for (const d of readdirSync(IPVS)) {
      const loaded = loadRules([join(IPVS, d, 'input.yaml')], { readStdin: () => '', mode: 'ipvs', withoutHooks: true });
      expect(loaded.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      for (const lang of LANGS) {
        const items = explainRuleSets(loaded.ruleSets, { lang });
        for (const i of items) if (i.what === 'rule') assertSpecific(i);
        expect(items.some((i) => i.what === 'virtual-service')).toBe(true);
      }
    }
  });

  it('has a sentence for every rule kind in both languages (checked by the type, spot-checked here)', () => {
    for (const lang of LANGS) {
      for (const kind of RULE_KINDS) {
        if (kind === 'generic') continue;
        expect(typeof LANGUAGES[lang].rules[kind]).toBe('function');
      }
    }
  });
});

describe('explain sentences', () => {
  const p = join(IPT, 'overall-iptables-rules', 'expected.iptables');
  const en = explainFile(p, 'en');
  const zh = explainFile(p, 'zh');
  const find = (items: ExplainedItem[], chain: string, rule: number) => items.find((i) => i.chain === chain && i.rule === rule && i.table === 'nat');

  it('names the service, port, address and next chain of a cluster IP rule', () => {
    const e = find(en, 'KUBE-SERVICES', 1);
    expect(e?.text).toBe('-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(e?.sentence).toBe('Packets to 172.30.0.41:80/tcp (cluster IP of ns1/svc1, port p80) go to KUBE-SVC-XPGD46QRK7WJZT7O, which picks one of the endpoints.');
    expect(find(zh, 'KUBE-SERVICES', 1)?.sentence).toBe('发往 172.30.0.41:80/tcp（ns1/svc1 的端口 p80 的集群 IP）的包转到 KUBE-SVC-XPGD46QRK7WJZT7O（从所有端点中选择一个）。');
  });

  it('gives the share of new connections of each endpoint of a random split', () => {
    const chain = en.filter((i) => i.chain === 'KUBE-SVC-4SW47YFZTEDKD3PK' && i.what === 'rule');
    expect(chain.map((i) => i.sentence)).toEqual([
      "Packets to 172.30.0.44:80/tcp (cluster IP of ns4/svc4, port p80) that do not come from the pod network (source 10.0.0.0/8), such as the node's own or those of a host that routes the service range to this node, are marked for masquerading: the endpoint may be on another node, and masquerading makes its reply come back through this node, which undoes the NAT so that the client gets the answer from the address it sent to.",
      'A new connection goes to endpoint 10.180.0.4:80 (KUBE-SEP-UKSFD7AGPMPPLUHC) with probability 1/2 (0.5000000000) of those still undecided here: 50% of all new connections to ns4/svc4, port p80.',
      'The remaining new connections go to endpoint 10.180.0.5:80 (KUBE-SEP-C6EBXVWJJZMIWKLZ): 50% of all new connections to ns4/svc4, port p80.',
    ]);
  });

  it('uses the dump\'s line numbers', () => {
    const e = find(en, 'KUBE-SERVICES', 1);
    const line = readFileSync(p, 'utf8').split('\n').indexOf(e?.text ?? '') + 1;
    expect(e?.line).toBe(line);
    expect(explainRuleSets(parseDumpText(readFileSync(p, 'utf8'), p).ruleSets, { line })).toEqual([e]);
  });

  it('says so where a listing does not show a scheduler, forwarding method or weight, instead of making one up', () => {
    const text = 'TCP  10.96.0.1:443                   88313   530250   706397  186493K    2964M\n  -> 192.168.0.10:6443               44100  123456K  106397K   93246K    1482M\n';
    const { ruleSets } = parseDumpText(text, 'stats.txt');
    const [svc, server] = explainRuleSets(ruleSets);
    expect(svc?.sentence).toBe('IPVS virtual service -t 10.96.0.1:443: balances new connections with a scheduler the listing does not show among its 1 real server.');
    expect(server?.text).toBe('-a -t 10.96.0.1:443 -r 192.168.0.10:6443');
    expect(server?.sentence).toBe('Real server 192.168.0.10:6443 of -t 10.96.0.1:443, reached by a forwarding method the listing does not show, weight not shown: it gets 100% of new connections.');
    const zh = explainRuleSets(ruleSets, { lang: 'zh' });
    expect(zh.map((i) => i.sentence)).toEqual([
      'IPVS 虚拟服务 -t 10.96.0.1:443：以列表未显示的调度算法方式把新连接分配给它的 1 个真实服务器。',
      '-t 10.96.0.1:443 的真实服务器 192.168.0.10:6443，转发方式未显示，权重未显示：分到 100% 的新连接。',
    ]);
  });

  it('describes a rule kube-proxy does not write from its parts, and says so', () => {
    const text = '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -m comment --comment "flannel masq" -j MASQUERADE\nCOMMIT\n';
    const { ruleSets } = parseDumpText(text, 'flannel.txt');
    const [, rule] = explainRuleSets(ruleSets);
    expect(rule?.ruleKind).toBe('generic');
    expect(rule?.sentence).toBe('Packets from 10.244.0.0/16, not to 10.244.0.0/16 are masqueraded ("flannel masq"). (Not a rule kube-proxy writes.)');
    expect(explainRuleSets(ruleSets, { lang: 'zh' })[1]?.sentence).toBe('来自 10.244.0.0/16、不发往 10.244.0.0/16的包被做地址伪装（“flannel masq”）。（这不是 kube-proxy 写的规则。）');
  });
});

describe('explain on manifests', () => {
  it('numbers lines as `rulec compile` prints them', () => {
    const loaded = loadRules([join(IPT, 'v126-nodeport', 'input.yaml')], { readStdin: () => '', withoutHooks: true });
    const sets = relevantRuleSets(loaded);
    expect(sets).toHaveLength(1);
    const printed = printIptablesRestore(sets[0] as never).split('\n');
    const items = explainRuleSets(sets);
    expect(items.length).toBeGreaterThan(10);
    for (const i of items) expect(printed[(i.line ?? 0) - 1], i.text).toBe(i.text);
  });
});
