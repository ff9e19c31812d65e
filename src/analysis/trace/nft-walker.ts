import type { NftChain, NftRuleSet, NftSet } from '../../ast/nft-types.js';
import { cidrContains, compareIps, parseCidr, parseIp, type ParsedIp } from '../../kube/ip.js';
import { forkBranch, type Branch, type TraceStep } from './branch.js';
import type { TableWalkResult } from './chain-walker.js';
import type { Hook, MatchContext, TraceNote } from './match-context.js';
import { formatHostPort, parseHostPort, withChanges, type Packet } from './packet.js';
import { readNftRule, type NftMapEntry, type NftSelector, type NftValue } from '../../ast/nft-rule.js';

/**
 * kube-proxy's nftables table as the trace walks it: its chains and sets by name, and the base
 * chains each netfilter hook runs, by priority.
 */
export class NftTable {
  readonly chains = new Map<string, NftChain>();
  readonly sets = new Map<string, NftSet>();
  /** Base chains, lowest priority (first to run) first. */
  readonly bases: { hook: Hook; priority: number; type: 'filter' | 'nat'; chain: NftChain }[] = [];

  constructor(readonly ruleSet: NftRuleSet) {
    for (const c of ruleSet.chains) {
      this.chains.set(c.name, c);
      // Only the IP hooks: ingress and egress chains (netdev) see packets before and after IP.
      const hook = c.base ? HOOKS[c.base.hook] : undefined;
      if (c.base && hook) this.bases.push({ hook, priority: c.base.priority, type: c.base.type === 'nat' ? 'nat' : 'filter', chain: c });
    }
    for (const s of ruleSet.sets) this.sets.set(s.name, s);
    // A listing cut down to kube-proxy's dispatch: its base chains' jumps are assumed, as it writes them.
    if (this.bases.length === 0 && this.chains.has('services')) {
      this.assumedHooks = true;
      const hook = (name: string, to: string, type: 'nat', h: Hook, priority: number) => {
        if (!this.chains.has(to)) return;
        this.bases.push({ hook: h, priority, type, chain: { name, base: { type, hook: h === 'PREROUTING' ? 'prerouting' : h === 'OUTPUT' ? 'output' : 'postrouting', priority }, rules: [{ words: ['jump', to] }] } });
      };
      hook('nat-prerouting', 'services', 'nat', 'PREROUTING', -100);
      hook('nat-output', 'services', 'nat', 'OUTPUT', -100);
      hook('nat-postrouting', 'masquerading', 'nat', 'POSTROUTING', 100);
    }
    this.bases.sort((a, b) => a.priority - b.priority);
  }

  private readonly entries = new Map<string, NftMapEntry[]>();

  /** The elements of a named map as entries (read once); an unknown map has none. */
  mapEntries(name: string): NftMapEntry[] {
    let out = this.entries.get(name);
    if (out === undefined) {
      const set = this.sets.get(name);
      out = (set?.elements ?? []).map((e) => ({ key: e.key, verdict: (e.value ?? '').split(/\s+/).filter((w) => w !== '') }));
      this.entries.set(name, out);
    }
    return out;
  }

  /** Set when the table has no base chains and kube-proxy's jumps into `services` and `masquerading` were assumed. */
  assumedHooks = false;

  get family(): 'ipv4' | 'ipv6' {
    return this.ruleSet.family === 'ip6' ? 'ipv6' : 'ipv4';
  }
}

const HOOKS: Partial<Record<NonNullable<NftChain['base']>['hook'], Hook>> = {
  prerouting: 'PREROUTING',
  input: 'INPUT',
  forward: 'FORWARD',
  output: 'OUTPUT',
  postrouting: 'POSTROUTING',
};

/** A chain that jumps into itself would loop; nft refuses such a rule set, a listing may not. */
const MAX_DEPTH = 64;

type Outcome = { branch: Branch; end: TableWalkResult['verdict'] } | { branch: Branch; end: null };

/** What one rule did to one branch. */
type RuleResult = { branch: Branch; next: 'rule' } | { branch: Branch; next: 'verdict'; verdict: string[] } | { branch: Branch; next: 'end'; end: TableWalkResult['verdict'] };

/**
 * Runs a base chain for one branch, as the kernel runs it at its hook: rules in order, `jump`
 * and `goto` into regular chains, a `numgen` map forking the branch (each way with its share),
 * maps looked up by the packet's address, protocol and port. A chain that ends without a
 * verdict accepts (kube-proxy's base chains have the accept policy).
 */
export function walkNftChain(table: NftTable, base: NftChain, hook: Hook, branch: Branch, makeCtx: (b: Branch) => MatchContext): TableWalkResult[] {
  return run(table, base, branch, hook, makeCtx, 0).map((o) => ({ branch: o.branch, verdict: o.end ?? 'NONE' }));
}

function run(table: NftTable, chain: NftChain, branch: Branch, hook: Hook, makeCtx: (b: Branch) => MatchContext, depth: number): Outcome[] {
  if (depth > MAX_DEPTH) {
    branch.notes.push({ kind: 'not-modelled', message: `chain ${chain.name} is entered more than ${MAX_DEPTH} times deep (a loop); the walk stops` });
    return [{ branch, end: 'NONE' }];
  }
  const out: Outcome[] = [];
  // Each pending way: a branch and the rule it goes on at.
  let pending: { branch: Branch; at: number }[] = [{ branch, at: 0 }];
  while (pending.length > 0) {
    const next: { branch: Branch; at: number }[] = [];
    for (const p of pending) {
      if (p.at >= chain.rules.length) {
        out.push({ branch: p.branch, end: null });
        continue;
      }
      for (const r of applyRule(table, chain, p.at, p.branch, hook, makeCtx)) {
        if (r.next === 'rule') {
          next.push({ branch: r.branch, at: p.at + 1 });
        } else if (r.next === 'end') {
          out.push({ branch: r.branch, end: r.end });
        } else {
          const [verb, target] = r.verdict;
          if (verb === 'return') {
            out.push({ branch: r.branch, end: null });
          } else if ((verb === 'jump' || verb === 'goto') && target !== undefined) {
            const into = table.chains.get(target);
            if (!into) {
              r.branch.notes.push({ kind: 'not-modelled', message: `${verb} to chain ${target}, which the rules do not have` });
              next.push({ branch: r.branch, at: p.at + 1 });
              continue;
            }
            for (const o of run(table, into, r.branch, hook, makeCtx, depth + 1)) {
              if (o.end !== null) out.push(o);
              else if (verb === 'jump') next.push({ branch: o.branch, at: p.at + 1 });
              else out.push(o);
            }
          } else {
            out.push({ branch: r.branch, end: endOf(verb ?? '') });
          }
        }
      }
    }
    pending = next;
  }
  return out;
}

function endOf(verb: string): TableWalkResult['verdict'] {
  switch (verb) {
    case 'accept':
      return 'ACCEPT';
    case 'drop':
      return 'DROP';
    case 'reject':
      return 'REJECT';
    default:
      return 'NONE';
  }
}

/** Runs rule `n` of the chain for a branch: the branches it leaves, each with where it goes on. */
function applyRule(table: NftTable, chain: NftChain, n: number, branch: Branch, hook: Hook, makeCtx: (b: Branch) => MatchContext): RuleResult[] {
  const rule = chain.rules[n];
  if (rule === undefined) return [{ branch, next: 'rule' }];
  const read = readNftRule(rule);
  const text = `${rule.words.join(' ')}${rule.comment === undefined ? '' : ` comment "${rule.comment}"`}`;
  const step = (b: Branch, action: string, probability?: number): void => {
    const s: TraceStep = { hook, table: table.ruleSet.table, chain: chain.name, rule: n + 1, text, action, ...(rule.comment === undefined ? {} : { comment: rule.comment }) };
    if (probability !== undefined) s.probability = probability;
    b.steps.push(s);
  };
  if (!read.ok) {
    branch.notes.push({ kind: 'not-modelled', message: `'${read.word}' in this rule: not modelled; the rule is assumed not to match`, at: `${table.ruleSet.table}/${chain.name}#${n + 1}` });
    return [{ branch, next: 'rule' }];
  }
  let ways: { branch: Branch; actions: string[]; probability?: number }[] = [{ branch, actions: [] }];
  const results: RuleResult[] = [];
  for (const e of read.exprs) {
    const next: typeof ways = [];
    for (const w of ways) {
      const ctx = makeCtx(w.branch);
      switch (e.kind) {
        case 'match': {
          const held = matches(table, e.key, e.value, ctx, w.branch.notes);
          if (held !== e.negated) next.push(w);
          else results.push({ branch: w.branch, next: 'rule' });
          break;
        }
        case 'mark-mask':
          if (((w.branch.packet.mark & e.mask) === e.value) !== e.negated) next.push(w);
          else results.push({ branch: w.branch, next: 'rule' });
          break;
        case 'vmap': {
          const entries = e.map.kind === 'inline' ? e.map.entries : table.mapEntries(e.map.name);
          const key = keyOf(e.key, ctx);
          const hit = key === undefined ? undefined : entries.find((x) => elementMatches(x.key, key, e.key));
          if (hit === undefined) {
            results.push({ branch: w.branch, next: 'rule' });
            break;
          }
          const where = e.map.kind === 'named' ? `@${e.map.name}` : '{ … }';
          step(w.branch, [...w.actions, `vmap ${where}: ${hit.verdict.join(' ')}`].join('; '), w.probability);
          results.push({ branch: w.branch, next: 'verdict', verdict: hit.verdict });
          break;
        }
        case 'numgen': {
          for (let k = 0; k < e.modulus; k++) {
            const entry = e.entries.find((x) => x.key.length === 1 && Number(x.key[0]) === k);
            const share = 1 / e.modulus;
            const b = e.modulus === 1 ? w.branch : forkBranch(w.branch, w.branch.probability * share);
            if (entry === undefined) {
              b.notes.push({ kind: 'info', message: `numgen random mod ${e.modulus} draws ${k}, which its map does not hold: the packet goes on to the next rule` });
              results.push({ branch: b, next: 'rule' });
              continue;
            }
            step(b, [...w.actions, `numgen ${k} of ${e.modulus}: ${entry.verdict.join(' ')}`].join('; '), e.modulus === 1 ? undefined : share);
            results.push({ branch: b, next: 'verdict', verdict: entry.verdict });
          }
          break;
        }
        case 'verdict':
          step(w.branch, [...w.actions, e.chain === undefined ? e.verdict : `${e.verdict} ${e.chain}`].join('; '), w.probability);
          results.push({ branch: w.branch, next: 'verdict', verdict: e.chain === undefined ? [e.verdict] : [e.verdict, e.chain] });
          break;
        case 'mark-set': {
          const m = w.branch.packet.mark;
          const mark = e.op === 'or' ? m | e.value : e.op === 'xor' ? m ^ e.value : e.op === 'and' ? m & e.value : e.value;
          w.branch.packet = withChanges(w.branch.packet, { mark: mark >>> 0 });
          // kube-proxy sets no other mark than its masquerade bit (mark-for-masquerade).
          if (e.op === 'or') w.branch.markedForMasquerade = true;
          next.push({ ...w, actions: [...w.actions, `mark ${e.op} 0x${e.value.toString(16)}`] });
          break;
        }
        case 'dnat': {
          const to = parseHostPort(e.to);
          if (!to) {
            w.branch.notes.push({ kind: 'not-modelled', message: `dnat to ${e.to}: not an address` });
            results.push({ branch: w.branch, next: 'rule' });
            break;
          }
          const port = to.port ?? w.branch.packet.dstPort;
          const dest = formatHostPort(to.ip, port);
          w.branch.packet = withChanges(w.branch.packet, { dst: to.ip, dstPort: port, dnat: true });
          if (w.branch.dnatTo === null) w.branch.dnatTo = dest;
          step(w.branch, [...w.actions, `DNAT to ${dest}`].join('; '), w.probability);
          results.push({ branch: w.branch, next: 'end', end: 'DNAT' });
          break;
        }
        case 'dnat-split': {
          for (let k = 0; k < e.modulus; k++) {
            const target = e.targets.find((x) => x.key === k);
            const b = e.modulus === 1 ? w.branch : forkBranch(w.branch, w.branch.probability * (1 / e.modulus));
            const to = target === undefined ? null : parseHostPort(target.to);
            if (target === undefined || !to) {
              b.notes.push({ kind: 'info', message: `dnat to numgen random mod ${e.modulus} draws ${k}, which its map does not hold: the packet is not DNATed` });
              results.push({ branch: b, next: 'rule' });
              continue;
            }
            const port = to.port ?? b.packet.dstPort;
            const dest = formatHostPort(to.ip, port);
            b.packet = withChanges(b.packet, { dst: to.ip, dstPort: port, dnat: true });
            if (b.dnatTo === null) b.dnatTo = dest;
            step(b, [...w.actions, `numgen ${k} of ${e.modulus}: DNAT to ${dest}`].join('; '), e.modulus === 1 ? undefined : 1 / e.modulus);
            results.push({ branch: b, next: 'end', end: 'DNAT' });
          }
          break;
        }
        case 'masquerade':
          w.branch.masqueraded = true;
          w.branch.packet = withChanges(w.branch.packet, { snat: true });
          step(w.branch, [...w.actions, 'MASQUERADE'].join('; '), w.probability);
          results.push({ branch: w.branch, next: 'end', end: 'MASQUERADE' });
          break;
        case 'update':
          w.branch.notes.push({ kind: 'affinity', message: `the client's address is added to @${e.set}: for its timeout, new connections from it go to the same endpoint`, at: `${table.ruleSet.table}/${chain.name}#${n + 1}` });
          next.push({ ...w, actions: [...w.actions, `update @${e.set}`] });
          break;
        case 'counter':
          next.push(w);
          break;
        case 'xt':
          // nft printed an iptables extension it cannot say in its own words: what it matches is unknown.
          w.branch.notes.push({ kind: 'not-modelled', message: `'# ${e.text}' (an iptables extension nft prints as text): not modelled; the rule is assumed not to match`, at: `${table.ruleSet.table}/${chain.name}#${n + 1}` });
          results.push({ branch: w.branch, next: 'rule' });
          break;
      }
    }
    ways = next;
  }
  // Every expression held and none decided: the rule's statements ran, the walk goes on.
  for (const w of ways) {
    if (w.actions.length > 0) step(w.branch, w.actions.join('; '), w.probability);
    results.push({ branch: w.branch, next: 'rule' });
  }
  return results;
}


type KeyPart = ParsedIp | number | string | null;

/** The packet's values for a key; undefined when the key does not apply (an ip6 key on IPv4). */
function keyOf(key: readonly NftSelector[], ctx: MatchContext): KeyPart[] | undefined {
  const out: KeyPart[] = [];
  for (const s of key) {
    const v = valueOf(s, ctx);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

function valueOf(s: NftSelector, ctx: MatchContext): KeyPart | undefined {
  const p: Packet = ctx.packet;
  switch (s) {
    case 'ip saddr':
      return p.family === 'ipv4' ? p.src : undefined;
    case 'ip daddr':
      return p.family === 'ipv4' ? p.dst : undefined;
    case 'ip6 saddr':
      return p.family === 'ipv6' ? p.src : undefined;
    case 'ip6 daddr':
      return p.family === 'ipv6' ? p.dst : undefined;
    case 'meta l4proto':
      return p.protocol === 'icmp' ? (p.family === 'ipv6' ? 'ipv6-icmp' : 'icmp') : p.protocol;
    case 'th dport':
      return p.dstPort ?? undefined;
    case 'th sport':
      return p.srcPort ?? null;
    case 'tcp dport':
    case 'udp dport':
    case 'sctp dport':
      return p.protocol === s.slice(0, s.indexOf(' ')) ? (p.dstPort ?? undefined) : undefined;
    case 'ct state':
      return 'new';
    case 'ct status':
      return p.dnat ? 'dnat' : 'none';
    case 'mark':
      return p.mark;
    case 'fib saddr type':
      return ctx.local.isLocal(p.src) ? 'local' : 'unicast';
    case 'fib daddr type':
      return ctx.local.isLocal(p.dst) ? 'local' : 'unicast';
    case 'iifname':
      return p.inIface;
    case 'oifname':
      return p.outIface;
  }
}

function matches(table: NftTable, key: readonly NftSelector[], value: NftValue, ctx: MatchContext, notes: TraceNote[]): boolean {
  const k = keyOf(key, ctx);
  if (k === undefined) return false;
  if (k.some((x) => x === null)) {
    notes.push({ kind: 'not-modelled', message: `${key.join(' . ')}: not known for this packet; assumed not to match` });
    return false;
  }
  switch (value.kind) {
    case 'words':
      return elementMatches(value.words, k, key);
    case 'set':
      return value.items.some((item) => elementMatches(item, k, key));
    case 'named': {
      const set = table.sets.get(value.name);
      if (!set) {
        notes.push({ kind: 'not-modelled', message: `set @${value.name} is not in the rules; assumed empty` });
        return false;
      }
      if (set.elements.length === 0 && value.name.startsWith('affinity-')) {
        notes.push({ kind: 'affinity', message: `@${value.name} holds the clients of this endpoint for session affinity; a first packet is in none` });
        return false;
      }
      return set.elements.some((e) => elementMatches(e.key, k, key));
    }
  }
}

/** Whether an element (its parts as written) matches the packet's key. */
function elementMatches(parts: readonly string[], key: readonly KeyPart[], selectors: readonly NftSelector[]): boolean {
  if (parts.length !== key.length) return false;
  for (let i = 0; i < parts.length; i++) {
    if (!partMatches(parts[i] as string, key[i] as KeyPart, selectors[i] as NftSelector)) return false;
  }
  return true;
}

const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp', '132': 'sctp' };

function partMatches(text: string, v: KeyPart, selector: NftSelector): boolean {
  if (v === null) return false;
  if (typeof v === 'object') {
    const dash = text.indexOf('-');
    if (dash > 0 && !text.includes('/')) {
      const lo = parseIp(text.slice(0, dash));
      const hi = parseIp(text.slice(dash + 1));
      return lo !== null && hi !== null && compareIps(lo, v) <= 0 && compareIps(v, hi) <= 0;
    }
    if (text.includes('/')) {
      const c = parseCidr(text);
      return c !== null && cidrContains(c, v);
    }
    return parseIp(text)?.text === v.text;
  }
  if (typeof v === 'number') {
    const range = /^(\d+)-(\d+)$/.exec(text);
    if (range) return Number(range[1]) <= v && v <= Number(range[2]);
    return Number(text) === v;
  }
  if (selector === 'meta l4proto') return (PROTOCOL_NUMBERS[text] ?? text) === v;
  if (selector === 'ct state') return text.split(',').includes(v);
  return text === v;
}

