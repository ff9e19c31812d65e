import type { IpFamily, VirtualService } from '../../ast/types.js';
import { persistenceText, schedulerText } from '../../ast/ipvs-text.js';
import { compileIpvs, type VirtualServiceOwner } from '../../compiler/ipvs/index.js';
import { parseIp } from '../../kube/ip.js';
import { locateIn } from '../../model/source-document.js';
import { describeRealServer, describeVirtualService } from '../kube/ipvs-names.js';
import { sideDifferences } from '../drift-text.js';
import { findServicePort } from '../kube/service-port-name.js';
import { nodeAt } from '../positions.js';
import { lossiness } from '../kube/rule-set-index.js';
import { docsUrl, ipvsRule, type Span } from '../types.js';

/**
 * The node's IPVS table against the manifests: the manifests are compiled as kube-proxy's IPVS
 * proxier would program this node (family, node name and addresses from the configuration), and
 * every virtual server that one side has and the other lacks is reported, with the service port
 * it belongs to; for virtual servers on both sides, a different scheduler, persistence or set of
 * real servers (and their weights).
 */
export default ipvsRule({
  meta: {
    id: 'ipvs-drift',
    severity: 'error',
    target: 'ipvs',
    needsManifests: true,
    docs: {
      description: 'IPVS virtual servers or real servers that the manifests define but the dump lacks, or the reverse (with --manifests).',
      url: docsUrl('ipvs-drift'),
    },
    messages: {
      missing: 'virtual service {{service}} ({{owner}}) is defined in the manifests but not in {{dump}}',
      extra: 'virtual service {{service}} is in the dump but no service of the manifests defines it',
      differs: 'virtual service {{service}} ({{owner}}): {{what}} is {{dumpValue}} in the dump but {{manifestValue}} in the manifests',
      realServers: 'virtual service {{service}} ({{owner}}): {{details}}',
    },
  },
  check(context) {
    const model = context.manifests;
    const { ruleSet, file } = context;
    if (!model) return;
    // A listing without -n names hosts and ports instead of addresses: nothing to compare exactly.
    const lossy = lossiness(ruleSet);
    if (lossy !== undefined) {
      context.notJudged(lossy, nodeAt(ruleSet, file));
      return;
    }
    const dumped = new Map<string, VirtualService>();
    for (const vs of ruleSet.services) if (vs.protocol !== 'fwmark') dumped.set(keyOf(vs), vs);
    const families = new Set<IpFamily>(ruleSet.services.map((vs) => vs.family));
    if (families.size === 0) families.add('ipv4');
    const fallback: Span = ruleSet.pos ? nodeAt(ruleSet, file) : { file, line: 1, column: 1 };
    const expectedKeys = new Set<string>();

    for (const family of [...families].sort()) {
      const settings = { ...model.proxySettings(family), mode: 'ipvs' as const };
      const compiled = compileIpvs(model.cluster, settings);
      // Which endpoints are node-local depends on the node: without its name, Local virtual
      // servers' real servers cannot be known.
      const nodeKnown = settings.nodeName !== '';
      for (const want of compiled.ipvs.services) {
        const key = keyOf(want);
        expectedKeys.add(key);
        const owner = compiled.owners.get(want);
        const ownerText = owner ? `${owner.servicePortName} ${owner.role}` : 'a service';
        const service = describeVirtualService(want);
        const have = dumped.get(key);
        if (!have) {
          const found = owner ? findServicePort(model.cluster, owner.servicePortName, want.protocol) : undefined;
          const at = found ? locateIn(found.svc.src, portPath(found.svc.ports.indexOf(found.port))) : fallback;
          context.report({ messageId: 'missing', data: { service, owner: ownerText, dump: file }, at, ...(found ? { object: found.svc.src } : {}) });
          continue;
        }
        const at = nodeAt(have, file);
        const base = { service, owner: ownerText };
        const differs = (what: string, dumpValue: string, manifestValue: string) => {
          if (dumpValue !== manifestValue) context.report({ messageId: 'differs', data: { ...base, what, dumpValue, manifestValue }, at });
        };
        differs('the scheduler', schedulerText(have), schedulerText(want));
        differs('persistence', persistenceText(have), persistenceText(want));
        if (!comparableServers(owner, nodeKnown)) continue;
        const details = realServerDifferences(have, want);
        if (details) context.report({ messageId: 'realServers', data: { ...base, details }, at });
      }
    }

    for (const [key, have] of dumped) {
      if (expectedKeys.has(key)) continue;
      context.report({ messageId: 'extra', data: { service: describeVirtualService(have) }, at: nodeAt(have, file) });
    }
  },
});

/** Protocol, canonical address and port: the identity of a virtual server. */
function keyOf(vs: VirtualService): string {
  return `${vs.protocol} ${canonicalAddress(vs.address)} ${vs.port}`;
}

function canonicalAddress(text: string): string {
  return parseIp(text)?.text ?? text;
}

function portPath(i: number): (string | number)[] {
  return i >= 0 ? ['spec', 'ports', i] : ['metadata', 'name'];
}

function comparableServers(owner: VirtualServiceOwner | undefined, nodeKnown: boolean): boolean {
  return nodeKnown || owner === undefined || !owner.onlyLocal;
}

/** Real servers one side has and the other lacks, and differing weights; '' when the same. */
function realServerDifferences(have: VirtualService, want: VirtualService): string {
  const weights = (vs: VirtualService) => new Map(vs.realServers.map((rs) => [`${canonicalAddress(rs.address)} ${rs.port}`, { text: describeRealServer(rs), weight: rs.weight }]));
  const h = weights(have);
  const w = weights(want);
  const missing = [...w].filter(([k]) => !h.has(k)).map(([, v]) => v.text);
  const extra = [...h].filter(([k]) => !w.has(k)).map(([, v]) => v.text);
  const reweighted = [...w]
    .filter(([k, v]) => h.has(k) && h.get(k)?.weight !== v.weight)
    .map(([k, v]) => `${v.text} has weight ${h.get(k)?.weight ?? '?'} in the dump but ${v.weight} in the manifests`)
    .sort();
  return [...sideDifferences('real server', missing, extra), ...reweighted].join('; ');
}
