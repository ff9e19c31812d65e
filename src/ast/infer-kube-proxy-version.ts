import type { Diagnostic } from '../diagnostics.js';
import { isKubeChain, kubeChainKind } from '../kube/chain-kind.js';
import { NEWEST_MINOR, OLDEST_MINOR } from '../kube/kube-proxy-profiles.js';
import { OLDEST_KNOWN_MINOR, VERSION_FACTS, factHolds, factReleases, formatMinors, type VersionFact, type VersionFactId } from '../kube/kube-proxy-version-facts.js';
import { isAsciiMasqueradeMark } from '../kube/marks.js';
import { PROBABILITY_DECIMALS, probabilityText } from '../kube/probability.js';
import { fixedCommentOf, readServiceComment, servicePortNameTextOfComment } from '../kube/rule-comments.js';
import { matchValue, ruleComment, ruleTargetName, viewRule } from './rule-view.js';
import type { Chain, IptablesRuleSet, Rule, RuleSet, Table } from './types.js';
import { formatKernelProbability, probabilityToKernel } from './xtables/values.js';

/**
 * `--kube-proxy-version auto`: which kube-proxy releases could have written a dump, from what
 * its lines show (the facts of src/kube/kube-proxy-version-facts.ts, docs/versions.md §10). Each
 * fact seen narrows the set of minor releases; facts that cannot hold together are reported as a
 * conflict.
 */

/** The note's code: which kube-proxy release a dump was written by, and from which lines. */
export const VERSION_INFERENCE_CODE = 'RC109';

export interface VersionEvidence {
  fact: VersionFactId;
  file: string;
  line: number;
  /** The chain or value the line shows, when it helps: `KUBE-XLB-574IYFDEANSYIEBF`. */
  detail?: string;
}

export interface KubeProxyVersionInference {
  /** The minor releases every fact allows, oldest first; empty when the facts conflict or none was seen. */
  minors: number[];
  /** One line per fact seen (its first), in the order of the dump. */
  evidence: VersionEvidence[];
  /** Two facts that cannot both hold, when the facts conflict. */
  conflict?: readonly [VersionEvidence, VersionEvidence];
}

/** A dump needs this many endpoint chains before kube-proxy leaves comments out for size. */
const LARGE_CLUSTER_ENDPOINTS = 1000;

/** The minor releases a fact allows. */
function minorsOf(fact: VersionFactId): number[] {
  const out: number[] = [];
  for (let m = OLDEST_KNOWN_MINOR; m <= NEWEST_MINOR; m++) if (factHolds(fact, m)) out.push(m);
  return out;
}

/** Reads the facts of the iptables rule sets among `ruleSets` and narrows the releases. */
export function inferKubeProxyVersion(ruleSets: readonly RuleSet[]): KubeProxyVersionInference {
  const seen = new Map<VersionFactId, VersionEvidence>();
  for (const rs of ruleSets) if (rs.kind === 'iptables') readRuleSet(rs, seen);
  const all = [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line);
  const weak = (e: VersionEvidence): boolean => (VERSION_FACTS[e.fact] as VersionFact).weak === true;
  let allowed = range(OLDEST_KNOWN_MINOR, NEWEST_MINOR);
  const kept: VersionEvidence[] = [];
  // Firm facts first; a weak one only where the firm ones leave room for it.
  for (const e of [...all.filter((x) => !weak(x)), ...all.filter(weak)]) {
    const own = new Set(minorsOf(e.fact));
    const next = allowed.filter((m) => own.has(m));
    if (next.length === 0) {
      if (weak(e)) continue;
      const other = kept.find((k) => !minorsOf(k.fact).some((m) => own.has(m))) ?? kept[kept.length - 1] ?? e;
      return { minors: [], evidence: all, conflict: [other, e] };
    }
    allowed = next;
    kept.push(e);
  }
  const evidence = all.filter((e) => kept.includes(e));
  return { minors: evidence.length > 0 ? allowed : [], evidence };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m++) out.push(m);
  return out;
}

/** Whether the text is kube-proxy's own restore input rather than iptables-save's print of it. */
function isWrittenText(rs: IptablesRuleSet): boolean {
  for (const t of rs.tables) {
    for (const c of t.chains) {
      if (c.policy !== '-') return false;
      for (const r of c.rules) {
        let seenMatch = false;
        for (const a of r.args) {
          // iptables-save prints -s, -d and -p before every match; kube-proxy writes `-m comment` first.
          if (a.flag === '-m' || a.flag === '--match') seenMatch = true;
          else if (seenMatch && (a.flag === '-p' || a.flag === '-d' || a.flag === '-s')) return true;
          if (a.flag === '--or-mark' || a.flag === '--xor-mark') return true;
        }
      }
    }
  }
  return false;
}

/** What the facts of one rule depend on beyond the rule: the kind of text, the size of the dump. */
export interface LayoutContext {
  /** kube-proxy's own restore text, not iptables-save's print of it. */
  written: boolean;
  endpointChains: number;
}

export function layoutContext(rs: IptablesRuleSet): LayoutContext {
  return { written: isWrittenText(rs), endpointChains: rs.tables.reduce((n, t) => n + t.chains.filter((c) => isKubeChain(c.name, 'SEP')).length, 0) };
}

/** The facts one rule shows (explain names the releases of those the newest layout lacks). */
export function ruleVersionFacts(t: Table, c: Chain, r: Rule, context: LayoutContext): VersionFactId[] {
  const out: VersionFactId[] = [];
  readRule(t, c, r, context.written, context.endpointChains, (fact) => {
    if (!out.includes(fact)) out.push(fact);
  });
  return out;
}

/** The facts a chain's name shows. */
export function chainVersionFacts(c: Chain): VersionFactId[] {
  const kind = kubeChainKind(c.name);
  return kind === 'XLB' ? ['xlbChain'] : kind === 'EXT' || kind === 'SVL' ? ['extOrSvlChain'] : kind === 'FW' ? ['fwChain'] : [];
}

/** Whether the newest layout lacks what the fact says (KUBE-XLB-, /32, …). */
export function isOlderLayout(fact: VersionFactId): boolean {
  return !factHolds(fact, NEWEST_MINOR);
}

function readRuleSet(rs: IptablesRuleSet, seen: Map<VersionFactId, VersionEvidence>): void {
  const { written, endpointChains } = layoutContext(rs);
  const file = rs.pos?.file ?? '';
  const note = (fact: VersionFactId, at: { pos?: { file: string; line: number } } | undefined, detail?: string): void => {
    if (seen.has(fact)) return;
    const pos = at?.pos;
    seen.set(fact, { fact, file: pos?.file ?? file, line: pos?.line ?? 1, ...(detail !== undefined ? { detail } : {}) });
  };
  for (const t of rs.tables) {
    if (t.name === 'filter') readFilterTable(t, written, note);
    for (const c of t.chains) {
      for (const fact of chainVersionFacts(c)) note(fact, c, c.name);
      for (const r of c.rules) readRule(t, c, r, written, endpointChains, note);
    }
  }
}

type Note = (fact: VersionFactId, at: { pos?: { file: string; line: number } } | undefined, detail?: string) => void;

/** The filter chains kube-proxy declares in every sync: their presence, and in a whole table their absence. */
function readFilterTable(t: Table, written: boolean, note: Note): void {
  const names = new Set(t.chains.map((c) => c.name));
  const chain = (name: string): Chain | undefined => t.chains.find((c) => c.name === name);
  if (names.has('KUBE-FORWARD')) note('kubeForward', chain('KUBE-FORWARD'));
  if (names.has('KUBE-EXTERNAL-SERVICES')) note('externalServices', chain('KUBE-EXTERNAL-SERVICES'));
  if (names.has('KUBE-PROXY-FIREWALL')) note('proxyFirewall', chain('KUBE-PROXY-FIREWALL'));
  const whole = t.excerpt === undefined && t.inferredFrom === undefined && names.has('KUBE-SERVICES');
  if (!whole) return;
  if (!names.has('KUBE-FORWARD')) note('noKubeForward', t);
  if (!names.has('KUBE-EXTERNAL-SERVICES')) note('noExternalServices', t);
  if (!names.has('KUBE-NODEPORTS')) note('noFilterNodePorts', t);
  if (!names.has('KUBE-PROXY-FIREWALL')) note('noProxyFirewall', t);
  // kubelet writes a KUBE-FIREWALL of its own: only kube-proxy's own text tells.
  if (written) {
    const fw = chain('KUBE-FIREWALL');
    if (fw?.rules.some((r) => fixedCommentOf(ruleComment(r)) === 'localnetBlock')) note('kubeFirewallInRestore', fw);
    else if (!fw) note('noKubeFirewallInRestore', t);
  }
}

function readRule(t: Table, c: Chain, r: Rule, written: boolean, endpointChains: number, note: Note): void {
  const target = ruleTargetName(r) ?? '';
  const comment = ruleComment(r);
  const kind = kubeChainKind(c.name);
  const view = viewRule(r);

  if (view.matches.some((m) => m.module === 'nfacct')) note('nfacct', r);
  const mark = matchValue(view, 'mark', '--mark');
  if (isAsciiMasqueradeMark(mark)) note('asciiMasqueradeMark', r);

  if (c.name === 'KUBE-POSTROUTING') {
    if (target === 'RETURN' && view.matches.some((m) => m.module === 'mark')) note('threeRulePostrouting', r);
    if (target === 'MASQUERADE' && mark !== undefined) note('oneRulePostrouting', r);
    if (target === 'MASQUERADE' && r.args.some((a) => a.flag === '--random-fully')) note('randomFully', r);
  }
  if (c.name === 'KUBE-MARK-MASQ' && written) {
    if (r.args.some((a) => a.flag === '--or-mark')) note('orMarkMasquerade', r);
    if (r.args.some((a) => a.flag === '--set-xmark')) note('setXmarkMasquerade', r);
  }
  if (target === 'KUBE-MARK-DROP' && kind !== undefined) note('markDropJump', r, c.name);

  if (c.name === 'KUBE-FORWARD' && t.name === 'filter') {
    if (matchValue(view, 'conntrack', '--ctstate') === 'INVALID') {
      note('invalidDrop', r);
      if (!view.matches.some((m) => m.module === 'nfacct')) note('invalidDropWithoutNfacct', r);
    }
    const fixed = fixedCommentOf(comment);
    if (fixed === 'forwardingConntrack') note('forwardOneRule', r);
    if (fixed === 'forwardingConntrackPodSource' || fixed === 'forwardingConntrackPodDestination') {
      note(view.source || view.destination ? 'forwardPairWithCidr' : 'forwardPairWithoutCidr', r);
    }
  }
  if (c.name === 'KUBE-NODEPORTS' && t.name === 'filter' && comment !== undefined && readServiceComment(comment)?.role === 'health-check-node-port') note('healthCheckAccept', r);

  const probability = matchValue(view, 'statistic', '--probability');
  if (probability !== undefined) {
    const decimals = probabilityDecimals(probability);
    if (decimals === 5) note('fiveDecimalProbability', r, probability);
    if (decimals === 10) note('tenDecimalProbability', r, probability);
  }
  const seconds = matchValue(view, 'recent', '--seconds');
  if (seconds !== undefined && (kind === 'SVC' || kind === 'XLB' || kind === 'SVL')) {
    note(seconds === '180' ? 'affinity180' : seconds === '10800' ? 'affinity10800' : 'affinityConfigured', r, `--seconds ${seconds}`);
  }

  // Endpoint rules: the jump to KUBE-SEP- and the endpoint chain's own rules.
  if (isKubeChain(target, 'SEP') || kind === 'SEP') {
    const role = comment === undefined ? undefined : readServiceComment(comment)?.role;
    if (comment === undefined && endpointChains < LARGE_CLUSTER_ENDPOINTS) note('commentlessEndpointRule', r, kind === 'SEP' ? c.name : target);
    else if (isKubeChain(target, 'SEP') && role === 'endpoint') note('arrowEndpointComment', r, comment);
    else if (isKubeChain(target, 'SEP') && role === 'port' && (kind === 'SVC' || kind === 'XLB' || kind === 'SVL')) note('plainEndpointComment', r, comment);
  }

  if (comment !== undefined) {
    const sc = readServiceComment(comment);
    if (sc) {
      if (sc.spn.port === '') note(servicePortNameTextOfComment(comment)?.endsWith(':') ? 'unnamedPortColon' : 'unnamedPortNoColon', r, comment);
      if (sc.role === 'balancing-rule') note('balancingRule', r, comment);
      if (sc.role === 'masquerade-local-lb-ip') note('xlbLocalTraffic', r, comment);
      if (sc.role === 'firewall-other-dropped') note('fwTrailingComment', r, c.name);
      if (sc.role === 'cluster-ip' && target === 'KUBE-MARK-MASQ') {
        if (c.name === 'KUBE-SERVICES') note('clusterMasqueradeInServices', r, comment);
        if (kind === 'SVC') note('masqueradeInServiceChain', r, comment);
      }
      if (sc.role === 'loadbalancer-ip' && c.name === 'KUBE-SERVICES' && isKubeChain(target, 'SVC')) note('loadBalancerToServiceChain', r, comment);
      // Before 1.24 every load-balancer IP went through KUBE-FW-; without source ranges its jump has no -s.
      if (sc.role === 'loadbalancer-ip' && kind === 'FW' && isKubeChain(target, 'SVC', 'XLB') && !view.source) note('fwForEveryLoadBalancerIP', r, c.name);
      if (sc.role === 'external-ip' && view.matches.some((m) => m.module === 'physdev')) note('externalIPPhysdevPair', r, comment);
    }
    // The address kube-proxy wrote: an endpoint's source, a service address's destination.
    if (written && t.name === 'nat') {
      const address = kind === 'SEP' && target === 'KUBE-MARK-MASQ' ? view.source : c.name === 'KUBE-SERVICES' && sc && sc.role !== 'port' ? view.destination : undefined;
      if (address && !address.negated) {
        const text = address.value;
        if (text.endsWith('/32') || text.endsWith('/128')) note('slash32Address', r, text);
        else if (!text.includes('/')) note('bareAddress', r, text);
      }
    }
  }
}

/**
 * The decimals kube-proxy wrote a probability with (5 or 10), also from iptables-save's
 * eleven-decimal print of the kernel's fraction; undefined when the text does not tell (0.5 is
 * printed `0.50000000000` either way).
 */
function probabilityDecimals(text: string): number | undefined {
  const p = Number(text);
  if (!/^[01]\.[0-9]+$/.test(text) || !(p > 0 && p < 1)) return undefined;
  const digits = text.length - text.indexOf('.') - 1;
  if (digits !== 11) return (PROBABILITY_DECIMALS as readonly number[]).includes(digits) ? digits : undefined;
  const guess = Math.round(1 / p);
  const found = new Set<number>();
  for (let n = Math.max(2, guess - 2); n <= guess + 2; n++) {
    for (const d of PROBABILITY_DECIMALS) {
      const kernel = probabilityToKernel(probabilityText(n, d));
      if (kernel !== undefined && formatKernelProbability(kernel) === text) found.add(d);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** One fact as the note says it: `line 12 KUBE-XLB-… (before 1.24)`. */
function describe(e: VersionEvidence, file: string): string {
  const where = e.file === file ? `line ${e.line}` : `${e.file}:${e.line}`;
  const what = e.detail !== undefined && !VERSION_FACTS[e.fact].says.includes(e.detail) ? `${VERSION_FACTS[e.fact].says} (${e.detail})` : VERSION_FACTS[e.fact].says;
  return `${where} ${what}, ${factReleases(e.fact)}`;
}

/**
 * The few facts that narrow the releases to the inferred ones, each the one that rules out most
 * of what is left, in the order of the dump: what the note names.
 */
export function decidingEvidence(inference: KubeProxyVersionInference): VersionEvidence[] {
  const target = new Set(inference.minors);
  let current = range(OLDEST_KNOWN_MINOR, NEWEST_MINOR);
  const chosen: VersionEvidence[] = [];
  while (current.length > target.size) {
    let best: { e: VersionEvidence; left: number[] } | undefined;
    for (const e of inference.evidence) {
      const own = new Set(minorsOf(e.fact));
      const left = current.filter((m) => own.has(m));
      if (left.length < (best?.left.length ?? current.length)) best = { e, left };
    }
    if (!best) break;
    chosen.push(best.e);
    current = best.left;
  }
  return inference.evidence.filter((e) => chosen.includes(e));
}

/** The inference and the release the manifests are compiled as. */
export interface ChosenKubeProxyVersion {
  /** The minor to compile: the newest compilable one the dump allows, else the nearest. */
  minor: number;
  note: Diagnostic;
}

/**
 * The release to compile manifests as, to compare them with the dumps, and the note that says
 * what was inferred from which lines; `undefined` when the dumps hold no iptables rule set.
 */
export function chooseKubeProxyVersion(ruleSets: readonly RuleSet[], inference: KubeProxyVersionInference = inferKubeProxyVersion(ruleSets)): ChosenKubeProxyVersion | undefined {
  const first = ruleSets.find((r): r is IptablesRuleSet => r.kind === 'iptables');
  if (!first) return undefined;
  const file = inference.evidence[0]?.file ?? first.pos?.file ?? '';
  const line = inference.evidence[0]?.line ?? 1;
  const at = { file, line, column: 1, severity: 'note' as const, code: VERSION_INFERENCE_CODE };
  if (inference.conflict) {
    const [a, b] = inference.conflict;
    return {
      minor: NEWEST_MINOR,
      note: { ...at, severity: 'warning', message: `kube-proxy version not inferred: ${describe(a, file)} and ${describe(b, file)} cannot both hold; the manifests are compiled as 1.${NEWEST_MINOR}` },
    };
  }
  if (inference.minors.length === 0) {
    return { minor: NEWEST_MINOR, note: { ...at, message: `kube-proxy version not inferred: nothing in the dump tells the release; the manifests are compiled as 1.${NEWEST_MINOR}` } };
  }
  const range = formatMinors(inference.minors);
  const deciding = decidingEvidence(inference);
  const others = inference.evidence.length - deciding.length;
  const facts = `${deciding.map((e) => describe(e, file)).join('; ')}${others > 0 ? ` (and ${others} more line${others === 1 ? ' that agrees' : 's that agree'})` : ''}`;
  const compilable = inference.minors.filter((m) => m >= OLDEST_MINOR && m <= NEWEST_MINOR);
  const newest = compilable[compilable.length - 1];
  if (newest !== undefined) {
    return { minor: newest, note: { ...at, message: `kube-proxy ${range} inferred from ${file}: ${facts}; the manifests are compiled as 1.${newest}` } };
  }
  return {
    minor: OLDEST_MINOR,
    note: {
      ...at,
      severity: 'warning',
      message: `kube-proxy ${range} inferred from ${file}: ${facts}; rulec compiles 1.${OLDEST_MINOR} to 1.${NEWEST_MINOR} only, so the manifests are compiled as 1.${OLDEST_MINOR} and differ from the dump in that layout`,
    },
  };
}
