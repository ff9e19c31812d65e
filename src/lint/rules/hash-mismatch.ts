import { hash16 } from '../../kube/chain-names.js';
import type { KubeChainKind } from '../kube/kube-chains.js';
import { chainAt } from '../positions.js';
import { docsUrl, iptablesRule } from '../types.js';
import { nftHashedName, readNftChainName } from '../../kube/nft-chain-names.js';
import { nftAt } from '../nft/references.js';

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
      mismatchNft: '{{chain}} is named for {{base}}, whose chain kube-proxy names {{expected}}: the name was written by hand or copied',
      mismatch: '{{chain}} holds the rules of {{what}}, whose chain is {{expected}}: the rules were written by hand or copied from another chain',
    },
  },
  check(context) {
    const { index, file } = context;
    const kube = index.kubeChains();
    if (!kube) return;
    for (const c of kube.all) {
      const spn = kube.servicePortName(c);
      if (spn === undefined) continue;
      const kind = kube.kind(c) as KubeChainKind;
      const endpoint = kind === 'SEP' ? kube.destination(c) : '';
      if (endpoint === undefined) continue;
      const protocol = kube.protocol(c);
      if (protocol !== undefined ? kube.hashPartMatches(c, spn + protocol + endpoint) : PROTOCOLS.some((p) => kube.hashPartMatches(c, spn + p + endpoint))) continue;
      const name = kube.name(c);
      const proto = protocol ?? (PROTOCOLS[0] as string);
      const expected = `KUBE-${kind}-${hash16(spn + proto + endpoint)}`;
      const what = protocol !== undefined ? `${spn} (${proto}${endpoint ? ` -> ${endpoint}` : ''})` : `${spn}${endpoint ? ` (-> ${endpoint})` : ''}`;
      context.report({
        messageId: 'mismatch',
        data: { chain: name, what, expected: protocol !== undefined ? expected : `${expected} (tcp)` },
        at: chainAt(kube.chain(c), file),
      });
    }
  },
  checkNft(context) {
    const { ruleSet: rs, file } = context;
    for (const c of rs.chains) {
      const n = readNftChainName(c.name);
      // A name cut at kube-proxy's length limit keeps no whole base to hash.
      if (!n || c.name.endsWith('...')) continue;
      const expected = `${n.kind}-${nftHashedName(n.base)}`;
      if (expected === c.name) continue;
      context.report({ messageId: 'mismatchNft', data: { chain: c.name, base: n.base, expected }, at: nftAt(c, file) });
    }
  },
});
