import type { Service } from '../../model/cluster.js';
import { at, rawSpecField, servicePortLabel, serviceName, where } from '../kube/manifest-helpers.js';
import { docsUrl, manifestRule } from '../types.js';

/**
 * A NodePort belongs to one Service: the API server refuses a second Service asking for a port
 * already allocated ("provided port is already allocated"), and on a node two rules for one port
 * would send its traffic to whichever comes first. One Service may use a port number once per
 * protocol. A healthCheckNodePort takes a NodePort too. Ports written in the manifests are
 * compared, across all the files of a run; the finding is at the second and names where the
 * first is.
 */
export default manifestRule({
  meta: {
    id: 'nodeport-conflict',
    severity: 'error',
    target: 'manifests',
    docs: {
      description: 'Two Services (or two ports of one Service with the same protocol) use the same NodePort.',
      url: docsUrl('nodeport-conflict'),
    },
    messages: {
      conflict: '{{what}} {{port}} of {{service}} is already used by {{other}} ({{where}})',
    },
  },
  check(context) {
    const used = new Map<number, { svc: Service; label: string; protocol: string; path: (string | number)[] }>();
    for (const svc of context.model.cluster.services) {
      const claims: { port: number; label: string; protocol: string; path: (string | number)[]; what: string }[] = [];
      // Only ports the manifests ask for: one the API server would allocate is free.
      const written = rawSpecField(context.model, svc, 'ports');
      const writtenPorts = Array.isArray(written) ? (written as unknown[]) : [];
      const asked = (i: number) => {
        const p = writtenPorts[i];
        return typeof p === 'object' && p !== null && typeof (p as { nodePort?: unknown }).nodePort === 'number';
      };
      svc.ports.forEach((p, i) => {
        if (p.nodePort !== 0 && asked(i)) claims.push({ port: p.nodePort, label: servicePortLabel(svc, p.name), protocol: p.protocol, path: ['spec', 'ports', i, 'nodePort'], what: 'nodePort' });
      });
      if (svc.healthCheckNodePort !== 0 && typeof rawSpecField(context.model, svc, 'healthCheckNodePort') === 'number') {
        claims.push({ port: svc.healthCheckNodePort, label: `${serviceName(svc)} (health check)`, protocol: 'health', path: ['spec', 'healthCheckNodePort'], what: 'healthCheckNodePort' });
      }
      for (const c of claims) {
        const prev = used.get(c.port);
        if (!prev) {
          used.set(c.port, { svc, label: c.label, protocol: c.protocol, path: c.path });
          continue;
        }
        if (prev.svc === svc && prev.protocol !== c.protocol && c.protocol !== 'health' && prev.protocol !== 'health') continue;
        context.report({
          messageId: 'conflict',
          data: { what: c.what, port: c.port, service: c.label, other: prev.label, where: where(prev.svc, prev.path) },
          at: at(svc, c.path),
          object: svc.src,
        });
      }
    }
  },
});
