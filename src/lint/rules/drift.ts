import { compileIptables } from '../../compiler/iptables/index.js';
import { compileNftables } from '../../compiler/nftables/index.js';
import { nftServiceModel } from '../../ast/nft-service-model.js';
import { readFrontend, serviceKey, type FrontendKind, type ServicePortState } from '../../ast/service-port-state.js';
import type { NftRuleSet } from '../../ast/nft-types.js';
import { nftServicePortName, readNftChainName } from '../../kube/nft-chain-names.js';
import { nftAt } from '../nft/references.js';
import type { ManifestModel } from '../manifests.js';
import type { Service } from '../../model/cluster.js';
import { locateIn } from '../../model/source-document.js';
import { RuleSetIndex, lossiness } from '../kube/rule-set-index.js';
import { readServiceViews } from '../kube/service-view.js';
import { findServicePort } from '../kube/service-port-name.js';
import { sideDifferences } from '../drift-text.js';
import { ruleAt, chainAt, nodeAt } from '../positions.js';
import { docsUrl, iptablesRule, type Span } from '../types.js';

/**
 * The node's rules against the manifests: the manifests are compiled as kube-proxy would for
 * this node (family, node name and addresses from the configuration), both rule sets are read
 * back into services, and every service port, address, NodePort and endpoint that one side has
 * and the other lacks is reported. A lossy listing (names for addresses and ports) is not
 * compared. In an excerpt, what the dump lacks may be among the lines left out: only what the
 * dump shows and the manifests lack is reported, and the rule says once that it could not judge
 * the rest.
 */
export default iptablesRule({
  meta: {
    id: 'drift',
    severity: 'error',
    target: 'iptables',
    needsManifests: true,
    docs: {
      description: 'Services, ports or endpoints that the manifests define but the dump lacks, or the reverse (with --manifests).',
      url: docsUrl('drift'),
    },
    messages: {
      missingService: '{{service}} ({{protocol}}) is defined in the manifests but has no rules in {{dump}}',
      extraService: '{{service}} ({{protocol}}) has rules in the dump but the manifests do not define it',
      differs: '{{service}} ({{protocol}}): {{what}} is {{dumpValue}} in the dump but {{manifestValue}} in the manifests',
      endpoints: '{{service}} ({{protocol}}): {{details}}',
    },
  },
  check(context) {
    const model = context.manifests;
    if (!model || context.index.isIpvsMode()) return;
    const { ruleSet, file } = context;
    const lossy = lossiness(ruleSet);
    if (lossy !== undefined) {
      context.notJudged(lossy, nodeAt(ruleSet, file));
      return;
    }
    const shown = context.index.table('nat') ?? context.index.table('filter');
    const why = shown?.partial;
    const notJudged = () => {
      if (why !== undefined && shown) context.notJudged(why, nodeAt(shown.table, file));
    };
    const settings = { ...model.proxySettings(ruleSet.family), mode: 'iptables' as const };
    const expected = readServiceViews(new RuleSetIndex(compileIptables(model.cluster, settings)));
    const actual = readServiceViews(context.index);
    const fallback: Span = (() => {
      const nat = context.index.table('nat');
      const svc = nat?.chains.get('KUBE-SERVICES');
      return svc ? chainAt(svc, file) : { file, line: 1, column: 1 };
    })();
    const compareEndpoints = settings.nodeName !== '';

    for (const [key, want] of expected) {
      const have = actual.get(key);
      const found = findServicePort(model.cluster, want.servicePortName, want.protocol);
      if (!have) {
        if (why !== undefined) {
          notJudged();
          continue;
        }
        const at = found ? portAt(found.svc, found.svc.ports.indexOf(found.port)) : fallback;
        context.report({
          messageId: 'missingService',
          data: { service: want.servicePortName, protocol: want.protocol, dump: file },
          at,
          ...(found ? { object: found.svc.src } : {}),
        });
        continue;
      }
      const at = have.rule ? ruleAt(have.rule, file) : fallback;
      const base = { service: want.servicePortName, protocol: want.protocol };
      const filled = found?.svc.filledIn;
      const differs = (what: string, a: Set<string | number>, b: Set<string | number>) =>
        judge(what, a, b, {
          filled,
          excerpt: why !== undefined,
          notJudged: (cause) => (cause === 'filled' ? context.notJudged(FILLED_IN, at) : notJudged()),
          report: () => context.report({ messageId: 'differs', data: { ...base, what, dumpValue: show(a), manifestValue: show(b) }, at, suppressions: have.rule?.suppressions ?? [] }),
        });
      differs('the cluster IP', have.clusterIPs, want.clusterIPs);
      differs('the port', have.ports, want.ports);
      differs('the NodePort', have.nodePorts, want.nodePorts);
      differs('the set of external and load-balancer IPs', have.externalAddresses, want.externalAddresses);
      if (filled?.endpoints) {
        context.notJudged(FILLED_IN, at);
        continue;
      }
      const haveEps = compareEndpoints ? union(have.clusterEndpoints, have.localEndpoints) : have.clusterEndpoints;
      const wantEps = compareEndpoints ? union(want.clusterEndpoints, want.localEndpoints) : want.clusterEndpoints;
      const lacking = [...wantEps].filter((e) => !haveEps.has(e));
      if (why !== undefined && lacking.length > 0) notJudged();
      const parts = sideDifferences('endpoint', why !== undefined ? [] : lacking, [...haveEps].filter((e) => !wantEps.has(e)));
      if (parts.length > 0) {
        context.report({ messageId: 'endpoints', data: { ...base, details: parts.join('; ') }, at, suppressions: have.rule?.suppressions ?? [] });
      }
    }
    for (const [key, have] of actual) {
      if (expected.has(key)) continue;
      context.report({
        messageId: 'extraService',
        data: { service: have.servicePortName, protocol: have.protocol },
        at: have.rule ? ruleAt(have.rule, file) : fallback,
        suppressions: have.rule?.suppressions ?? [],
      });
    }
  },
  /**
   * kube-proxy's nftables table against the manifests compiled in nftables mode for the table's
   * family: both are read into service states (frontends from the service maps, endpoints from
   * the service and local chains), and compared as in iptables mode.
   */
  checkNft(context) {
    const model = context.manifests;
    const { ruleSet: rs, file } = context;
    if (!model || rs.table !== 'kube-proxy' || (rs.family !== 'ip' && rs.family !== 'ip6')) return;
    const settings = { ...model.proxySettings(rs.family === 'ip6' ? 'ipv6' : 'ipv4'), mode: 'nftables' as const };
    const expected = nftServiceModel(compileNftables(model.cluster, settings));
    const actual = nftServiceModel(rs);
    const why = rs.excerpt;
    const notJudged = () => {
      if (why !== undefined) context.notJudged(why, nftAt(rs, file));
    };
    const where = nftServicePlaces(rs, file);
    const compareEndpoints = settings.nodeName !== '';
    for (const [key, want] of expected) {
      const have = actual.get(key);
      if (!have) {
        if (why !== undefined) {
          notJudged();
          continue;
        }
        context.report({ messageId: 'missingService', data: { service: want.name, protocol: want.protocol, dump: file }, ...manifestPlace(model, want, nftAt(rs, file)) });
        continue;
      }
      const at = where.get(key) ?? nftAt(rs, file);
      const base = { service: want.name, protocol: want.protocol };
      const h = frontendsByKind(have);
      const w = frontendsByKind(want);
      const filled = findServicePort(model.cluster, want.name, want.protocol)?.svc.filledIn;
      for (const [kind, what] of FRONTEND_WORDS) {
        const a = h.get(kind) ?? new Set<string>();
        const b = w.get(kind) ?? new Set<string>();
        judge(what, a, b, {
          filled,
          excerpt: why !== undefined,
          notJudged: (cause) => (cause === 'filled' ? context.notJudged(FILLED_IN, at) : notJudged()),
          report: () => context.report({ messageId: 'differs', data: { ...base, what, dumpValue: show(a), manifestValue: show(b) }, at }),
        });
      }
      if (filled?.endpoints) {
        context.notJudged(FILLED_IN, at);
        continue;
      }
      const endpointsOf = (s: ServicePortState) => new Set(compareEndpoints ? [...s.endpoints, ...s.localEndpoints] : s.endpoints);
      const haveEps = endpointsOf(have);
      const wantEps = endpointsOf(want);
      const lacking = [...wantEps].filter((e) => !haveEps.has(e));
      if (why !== undefined && lacking.length > 0) notJudged();
      const parts = sideDifferences('endpoint', why !== undefined ? [] : lacking, [...haveEps].filter((e) => !wantEps.has(e)));
      if (parts.length > 0) context.report({ messageId: 'endpoints', data: { ...base, details: parts.join('; ') }, at });
    }
    for (const [key, have] of actual) {
      if (!expected.has(key)) context.report({ messageId: 'extraService', data: { service: have.name, protocol: have.protocol }, at: where.get(key) ?? nftAt(rs, file) });
    }
  },
});

/** Why values are not compared: the manifests leave them out, and rulec's stand-ins are no cluster's. */
const FILLED_IN = 'the manifests leave out cluster IPs, node ports or endpoints that rulec filled in (RC106, RC107): a node has the cluster\'s own';

/**
 * One value of a service port, the dump's against the manifests': reported when they differ,
 * unless rulec filled it in or, in an excerpt, what the dump lacks may be among the lines left out.
 */
function judge(
  what: string,
  dump: ReadonlySet<string | number>,
  manifests: ReadonlySet<string | number>,
  how: { filled: Service['filledIn']; excerpt: boolean; notJudged: (cause: 'filled' | 'excerpt') => void; report: () => void },
): void {
  if (sameSet(dump, manifests)) return;
  if (rulecsOwn(what, how.filled)) how.notJudged('filled');
  else if (how.excerpt && [...dump].every((x) => manifests.has(x))) how.notJudged('excerpt');
  else how.report();
}

/** Whether a value is one rulec filled in for the Service (its cluster IP or node ports). */
function rulecsOwn(what: string, filled: Service['filledIn']): boolean {
  if (filled === undefined) return false;
  if (what.startsWith('the cluster IP')) return filled.clusterIPs === true;
  if (what === 'the NodePort') return filled.nodePorts === true;
  return false;
}

/** What each kind of frontend is called in a finding; kinds not listed are not compared. */
const FRONTEND_WORDS: ReadonlyArray<readonly [FrontendKind, string]> = [
  ['cluster IP', 'the cluster IP and port'],
  ['node port', 'the NodePort'],
  ['external or load balancer IP', 'the set of external and load-balancer IPs and ports'],
];

function frontendsByKind(s: ServicePortState): Map<FrontendKind, Set<string>> {
  const out = new Map<FrontendKind, Set<string>>();
  for (const text of s.frontends) {
    const f = readFrontend(text);
    if (!f) continue;
    const set = out.get(f.kind) ?? new Set<string>();
    set.add(f.where);
    out.set(f.kind, set);
  }
  return out;
}

/** The service chain of each service port in the table, where its findings point. */
function nftServicePlaces(rs: NftRuleSet, file: string): Map<string, Span> {
  const out = new Map<string, Span>();
  for (const c of rs.chains) {
    const n = readNftChainName(c.name);
    if (!n || n.kind === 'endpoint') continue;
    const key = serviceKey(nftServicePortName(n), n.protocol);
    if (!out.has(key) || n.kind === 'service') out.set(key, nftAt(c, file));
  }
  return out;
}

/** A service port the dump lacks: its port in the manifests. */
function manifestPlace(model: ManifestModel, want: ServicePortState, fallback: Span): { at: Span; object?: Service['src'] } {
  const found = findServicePort(model.cluster, want.name, want.protocol);
  return found ? { at: portAt(found.svc, found.svc.ports.indexOf(found.port)), object: found.svc.src } : { at: fallback };
}

function portAt(svc: Service, i: number): Span {
  return locateIn(svc.src, i >= 0 ? ['spec', 'ports', i] : ['metadata', 'name']);
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function union<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Set<T> {
  return new Set([...a, ...b]);
}

function show(s: ReadonlySet<string | number>): string {
  if (s.size === 0) return 'none';
  return [...s].map(String).sort().join(', ');
}
