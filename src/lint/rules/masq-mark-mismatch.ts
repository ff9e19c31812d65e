import { argAt, nodeAt, ruleAt } from '../positions.js';
import { hex } from '../../ast/xtables/values.js';
import { markTarget, markTest } from '../kube/rule-facts.js';
import { docsUrl, iptablesRule } from '../types.js';
import { readNftRule } from '../../ast/nft-rule.js';
import { nftAt } from '../nft/references.js';

/**
 * KUBE-MARK-MASQ marks packets that need SNAT with the masquerade bit; KUBE-POSTROUTING tests
 * that bit (and clears it) before MASQUERADE, and filter KUBE-FORWARD accepts packets that carry
 * it. If the two sides disagree on the bit (two kube-proxies, or kube-proxy and kubelet, with
 * different `masqueradeBit`s), service traffic that needs SNAT is sent without it and replies
 * never come back. The bits are those of every rule of KUBE-MARK-MASQ: where an excerpt may show
 * that chain in part, or not at all, nothing is judged, and the rule says so once.
 */
export default iptablesRule({
  meta: {
    id: 'masq-mark-mismatch',
    severity: 'error',
    target: 'iptables',
    docs: {
      description: 'KUBE-MARK-MASQ and KUBE-POSTROUTING (or KUBE-FORWARD) disagree on the masquerade mark bit.',
      url: docsUrl('masq-mark-mismatch'),
    },
    messages: {
      testNft: '{{chain}} tests mark {{mark}} but kube-proxy sets {{bits}} for masquerading: packets marked for masquerading {{effect}}',
      clearNft: '{{chain}} clears mark bits {{mark}} but kube-proxy sets {{bits}}: the masquerade bit is not cleared before masquerade',
      test: '{{chain}} tests mark {{mark}} but KUBE-MARK-MASQ sets {{bits}}: packets marked for masquerading {{effect}}',
      clear: '{{chain}} clears mark bits {{mark}} but KUBE-MARK-MASQ sets {{bits}}: the masquerade bit is not cleared before MASQUERADE',
    },
  },
  check(context) {
    const { index, file } = context;
    const nat = index.table('nat');
    const filter = index.table('filter');
    const markMasq = nat?.chains.get('KUBE-MARK-MASQ');
    const o = nat?.ordinalOf('KUBE-MARK-MASQ');
    if (!nat || !markMasq || o === undefined || nat.mayBeCut(o)) {
      // What the chains that test the bit are compared with may be among the lines left out.
      const testers = nat?.chains.has('KUBE-POSTROUTING') === true || filter?.chains.has('KUBE-FORWARD') === true;
      const shown = nat ?? filter;
      const why = shown?.partial;
      if (testers && shown && why !== undefined) context.notJudged(why, nodeAt(shown.table, file));
      return;
    }
    let bits = 0;
    for (const v of nat.views(markMasq)) {
      const m = markTarget(v);
      if (m) bits |= (m.value & m.mask) >>> 0;
    }
    bits >>>= 0;
    if (bits === 0) return;

    const checkTests = (table: string, chainName: string, effect: (negated: boolean) => string) => {
      const t = index.table(table);
      const chain = t?.chains.get(chainName);
      if (!t || !chain) return;
      t.views(chain).forEach((v, i) => {
        const rule = chain.rules[i];
        const test = markTest(v);
        if (!rule || !test || test.mask === 0) return;
        const ok = test.value === test.mask && (test.mask & ~bits) >>> 0 === 0;
        if (ok) return;
        const arg = v.matches.flatMap((m) => (m.module === 'mark' ? m.options : [])).find((o) => o.flag === '--mark');
        context.report({
          messageId: 'test',
          data: { chain: chainName, mark: test.text, bits: hex(bits), effect: effect(test.negated) },
          at: argAt(arg, rule, file),
          suppressions: rule.suppressions ?? [],
        });
      });
    };
    checkTests('nat', 'KUBE-POSTROUTING', () => 'are never masqueraded');
    checkTests('filter', 'KUBE-FORWARD', () => 'are not accepted by KUBE-FORWARD');

    const post = nat.chains.get('KUBE-POSTROUTING');
    if (!post) return;
    nat.views(post).forEach((v, i) => {
      const rule = post.rules[i];
      const m = markTarget(v);
      // A MARK that clears bits by XOR (--xor-mark B, --set-xmark B/0x0).
      if (!rule || !m || m.mask !== 0) return;
      if (m.value >>> 0 === bits) return;
      context.report({
        messageId: 'clear',
        data: { chain: 'KUBE-POSTROUTING', mark: hex(m.value), bits: hex(bits) },
        at: v.target ? argAt(v.target.options[0], rule, file) : ruleAt(rule, file),
        suppressions: rule.suppressions ?? [],
      });
    });
  },
  checkNft(context) {
    const { ruleSet: rs, file } = context;
    // The bits kube-proxy sets for masquerading, and where the masquerading chain tests and clears them.
    const set = new Set<number>();
    const uses: { chain: string; rule: object; kind: 'test' | 'clear'; value: number }[] = [];
    for (const c of rs.chains) {
      for (const r of c.rules) {
        const read = readNftRule(r);
        if (!read.ok) continue;
        for (const e of read.exprs) {
          if (e.kind === 'mark-set' && e.op === 'or') set.add(e.value);
          if (c.name !== 'masquerading') continue;
          if (e.kind === 'mark-mask') uses.push({ chain: c.name, rule: r, kind: 'test', value: e.mask });
          if (e.kind === 'mark-set' && e.op === 'xor') uses.push({ chain: c.name, rule: r, kind: 'clear', value: e.value });
        }
      }
    }
    if (set.size !== 1) return;
    const bits = [...set][0] as number;
    for (const u of uses) {
      if (u.value === bits) continue;
      const data = { chain: u.chain, mark: `0x${u.value.toString(16)}`, bits: `0x${bits.toString(16)}`, effect: 'are not masqueraded' };
      context.report({ messageId: u.kind === 'test' ? 'testNft' : 'clearNft', data, at: nftAt(u.rule, file) });
    }
  },
});
