import { compileIptables } from '../../compiler/iptables/index.js';
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
      const differs = (what: string, a: Set<string | number>, b: Set<string | number>) => {
        if (sameSet(a, b)) return;
        // In an excerpt, a value the dump lacks may be among the lines left out.
        if (why !== undefined && [...a].every((x) => b.has(x))) {
          notJudged();
          return;
        }
        context.report({ messageId: 'differs', data: { ...base, what, dumpValue: show(a), manifestValue: show(b) }, at, suppressions: have.rule?.suppressions ?? [] });
      };
      differs('the cluster IP', have.clusterIPs, want.clusterIPs);
      differs('the port', have.ports, want.ports);
      differs('the NodePort', have.nodePorts, want.nodePorts);
      differs('the set of external and load-balancer IPs', have.externalAddresses, want.externalAddresses);
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
});

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
