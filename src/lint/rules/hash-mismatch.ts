import { hash16 } from '../../compiler/chain-names.js';
import { base32ToHex, hashMatches } from '../kube/hash-check.js';
import { chainAt } from '../positions.js';
import { docsUrl, iptablesRule } from '../types.js';

/**
 * kube-proxy names its per-service chains with a hash of what they serve: the service port name
 * and protocol (KUBE-SVC/SVL/EXT/FW/XLB) plus the endpoint (KUBE-SEP). A chain whose name is not
 * the hash of what its rules say (their comments, protocol and DNAT destination) was written or
 * edited by hand, or copied from another service; kube-proxy will not recognise it as the
 * service's chain and replaces or deletes it on its next sync.
 */

const PROTOCOLS = ['tcp', 'udp', 'sctp'];

export default iptablesRule({
  meta: {
    id: 'hash-mismatch',
    severity: 'error',
    target: 'iptables',
    docs: {
      description: 'A KUBE-SVC/SEP/EXT/SVL/FW chain whose name is not the hash of the service (and endpoint) its rules serve.',
      url: docsUrl('hash-mismatch'),
    },
    messages: {
      mismatch: '{{chain}} holds the rules of {{what}}, whose chain is {{expected}}: the rules were written by hand or copied from another chain',
    },
  },
  check(context) {
    const { index, file } = context;
    const kube = index.kubeChains();
    if (!kube) return;
    for (const kc of kube.all) {
      const spn = kc.servicePortName;
      if (spn === undefined) continue;
      const endpoint = kc.kind === 'SEP' ? kc.dnat?.destination : '';
      if (endpoint === undefined) continue;
      const prefix = `KUBE-${kc.kind}-`;
      const protocols = kc.protocol !== undefined ? [kc.protocol] : PROTOCOLS;
      const hexPart = base32ToHex(kc.name.slice(prefix.length));
      if (hexPart !== undefined && protocols.some((proto) => hashMatches(hexPart, spn + proto + endpoint))) continue;
      const proto = protocols[0] as string;
      const expected = prefix + hash16(spn + proto + endpoint);
      const what = kc.protocol !== undefined ? `${spn} (${proto}${endpoint ? ` -> ${endpoint}` : ''})` : `${spn}${endpoint ? ` (-> ${endpoint})` : ''}`;
      context.report({
        messageId: 'mismatch',
        data: { chain: kc.name, what, expected: kc.protocol !== undefined ? expected : `${expected} (tcp)` },
        at: chainAt(kc.chain, file),
      });
    }
  },
});
