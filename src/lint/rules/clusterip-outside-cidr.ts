import { cidrContains, parseCidr, type ParsedCidr } from '../../kube/ip.js';
import { at, serviceName } from '../kube/manifest-helpers.js';
import { clusterIPPath } from './clusterip-conflict.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * The API server only allocates cluster IPs inside the service CIDR(s) (`--service-cluster-ip-range`)
 * and rejects a Service asking for one outside them; an address outside the range may also belong
 * to a real network, which the service's rules would then hide. Runs when service CIDRs are
 * configured (`serviceCIDRs` in the rulec configuration, or the `rulec.io/service-cidrs`
 * annotation of the KubeProxyConfiguration).
 */
export default manifestRule({
  meta: {
    id: 'clusterip-outside-cidr',
    severity: 'error',
    target: 'manifests',
    docs: {
      description: 'A cluster IP outside the configured service CIDR(s).',
      url: docsUrl('clusterip-outside-cidr'),
    },
    messages: {
      outside: 'cluster IP {{ip}} of {{service}} is outside the service CIDR{{plural}} {{cidrs}}',
    },
  },
  check(context) {
    const { model, settings } = context;
    let cidrs: ParsedCidr[] = (settings.serviceCIDRs ?? []).map((t) => parseCidr(t.trim())).filter((c): c is ParsedCidr => c !== null);
    if (cidrs.length === 0) cidrs = [...model.proxySettings('ipv4').serviceCIDRs];
    if (cidrs.length === 0) return;
    for (const svc of model.cluster.services) {
      for (const ip of Object.values(svc.clusterIPs)) {
        if (!ip) continue;
        const ofFamily = cidrs.filter((c) => c.family === ip.family);
        if (ofFamily.length === 0 || ofFamily.some((c) => cidrContains(c, ip))) continue;
        context.report({
          messageId: 'outside',
          data: { ip: ip.text, service: serviceName(svc), plural: ofFamily.length > 1 ? 's' : '', cidrs: ofFamily.map((c) => c.text).join(', ') },
          at: at(svc, clusterIPPath(model.raw(svc.src), ip.text)),
          object: svc.src,
        });
      }
    }
  },
});
