import type { Chain, Rule } from '../../ast/types.js';
import { kubeChainKind, type KubeChainKind } from '../../ast/kube-chain-kind.js';
import type { RuleRef, TableIndex } from './rule-set-index.js';
import { canonicalEndpoint, servicePortNameIn } from './rule-facts.js';
import { scanServiceFacts } from './rule-scan.js';

/**
 * What kube-proxy's per-service chains of a nat table say they serve, gathered from the rules
 * that can tell: the comments and `-p` of the chain's own rules and of the rules that jump to it
 * (`"ns/svc:p80 cluster IP" -p tcp -j KUBE-SVC-…`), and for endpoint chains the DNAT
 * destination. The first rule that names a service port (or protocol) decides it. Endpoint
 * chains whose rules carry no comment (large-cluster mode) take the service port name of the
 * service chain that jumps to them.
 */


export interface KubeChain {
  name: string;
  kind: KubeChainKind;
  chain: Chain;
  /** The target names of the chain's rules, in order. */
  targets: readonly (string | undefined)[];
  /** The service port name (`ns/name:port`) the rules give. */
  servicePortName: string | undefined;
  /** The protocol (`tcp`, `udp`, `sctp`) the rules give. */
  protocol: string | undefined;
  /** For a SEP chain: its DNAT rule and destination (`IP:port`, `[IP]:port`), canonical. */
  dnat: { ref: RuleRef; destination: string } | undefined;
  /** For a SEP chain: the sources of its `-s X -j KUBE-MARK-MASQ` rules before the DNAT. */
  hairpinSources: string[] | undefined;
}

export { kubeChainKind, type KubeChainKind };

export class KubeChains {
  /** Every kube chain, in table order. */
  readonly all: KubeChain[] = [];
  /** Kube chains by chain number in the table. */
  private readonly byOrdinal: (KubeChain | undefined)[] = [];
  /** Jumps from service chains (SVC, SVL, XLB) to endpoint chains, as pairs of chain numbers. */
  private readonly edges: number[] = [];

  constructor(readonly nat: TableIndex) {
    nat.forEachChain((chain, targets, c) => {
      const kind = kubeChainKind(chain.name);
      if (!kind) return;
      const kc: KubeChain = { name: chain.name, kind, chain, targets, servicePortName: undefined, protocol: undefined, dnat: undefined, hairpinSources: undefined };
      this.all.push(kc);
      this.byOrdinal[c] = kc;
    });
    this.gather();
    this.propagate();
  }

  get(name: string): KubeChain | undefined {
    const o = this.nat.ordinalOf(name);
    return o === undefined ? undefined : this.byOrdinal[o];
  }

  ofKind(kind: KubeChainKind): KubeChain[] {
    return this.all.filter((c) => c.kind === kind);
  }

  private gather(): void {
    const byOrdinal = this.byOrdinal;
    const edges = this.edges;
    this.nat.forEachRule((chain, c, i, t, tc) => {
      const own = byOrdinal[c];
      // Endpoint chains speak for themselves (their own comment and DNAT rule).
      let target = tc >= 0 ? byOrdinal[tc] : undefined;
      if (target !== undefined && target.kind === 'SEP') {
        if (own !== undefined && (own.kind === 'SVC' || own.kind === 'SVL' || own.kind === 'XLB')) edges.push(c, tc);
        target = undefined;
      }
      if (own === undefined && target === undefined) return;
      const wantName = (own !== undefined && own.servicePortName === undefined) || (target !== undefined && target.servicePortName === undefined);
      const wantProto = (own !== undefined && own.protocol === undefined) || (target !== undefined && target.protocol === undefined);
      const wantDnat = own !== undefined && own.kind === 'SEP' && t === 'DNAT' && own.dnat === undefined;
      const wantHairpin = own !== undefined && own.kind === 'SEP' && t === 'KUBE-MARK-MASQ' && own.dnat === undefined;
      if (!wantName && !wantProto && !wantDnat && !wantHairpin) return;
      const rule = chain.rules[i] as Rule;
      const f = scanServiceFacts(rule);
      if (wantName && f.comment !== undefined) {
        const spn = servicePortNameIn(f.comment);
        if (spn !== undefined) {
          if (own && own.servicePortName === undefined) own.servicePortName = spn;
          if (target && target.servicePortName === undefined) target.servicePortName = spn;
        }
      }
      if (wantProto && f.protocol !== undefined) {
        if (own && own.protocol === undefined) own.protocol = f.protocol;
        if (target && target.protocol === undefined) target.protocol = f.protocol;
      }
      if (wantHairpin && own && f.source !== undefined) (own.hairpinSources ??= []).push(f.source);
      if (wantDnat && own && f.toDestination !== undefined) {
        own.dnat = { ref: { chain, index: i, rule }, destination: canonicalEndpoint(f.toDestination) };
      }
    });
  }

  /**
   * Service chains lend their name and protocol to the endpoint chains they jump to, and back,
   * jump by jump in table order.
   */
  private propagate(): void {
    const { edges, byOrdinal } = this;
    for (let e = 0; e < edges.length; e += 2) {
      const kc = byOrdinal[edges[e] as number] as KubeChain;
      const child = byOrdinal[edges[e + 1] as number] as KubeChain;
      if (child.servicePortName === undefined && kc.servicePortName !== undefined) child.servicePortName = kc.servicePortName;
      if (kc.protocol === undefined && child.protocol !== undefined) kc.protocol = child.protocol;
      if (child.protocol === undefined && kc.protocol !== undefined) child.protocol = kc.protocol;
    }
  }
}
