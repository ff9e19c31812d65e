import type { Chain, Rule } from '../../ast/types.js';
import { kubeChainKind, type KubeChainKind } from '../../kube/chain-kind.js';
import type { TableIndex } from './rule-set-index.js';
import type { TableFacts } from './table-facts.js';
import { KINDS } from './chain-numbers.js';
import { canonicalEndpoint, servicePortNameIn } from './rule-facts.js';

/**
 * What kube-proxy's per-service chains of a nat table say they serve, gathered from the rules
 * that can tell: the comments and `-p` of the chain's own rules and of the rules that jump to it
 * (`"ns/svc:p80 cluster IP" -p tcp -j KUBE-SVC-…`), and for endpoint chains the DNAT
 * destination. The first rule that names a service port (or protocol) decides it. Endpoint
 * chains whose rules carry no comment (large-cluster mode) take the service port name of the
 * service chain that jumps to them.
 *
 * A chain is known by its number in the table (`TableIndex.chainAt`); what it serves is kept in
 * flat arrays indexed by that number, as a dump holds over 100,000 such chains.
 */

export { kubeChainKind, type KubeChainKind };

/** Kind codes (`KINDS[code - 1]`): 0 for a chain that is not a per-service chain. */
const SVC = KINDS.indexOf('SVC') + 1;
const SVL = KINDS.indexOf('SVL') + 1;
const SEP = KINDS.indexOf('SEP') + 1;
const XLB = KINDS.indexOf('XLB') + 1;

/** Whether a kind code is that of a chain that sends to endpoint chains (SVC, SVL, XLB). */
function isServiceCode(code: number): boolean {
  return code === SVC || code === SVL || code === XLB;
}

export class KubeChains {
  /** The numbers of the per-service chains, in table order. */
  readonly all: Int32Array;
  /** The rule facts of the nat table. */
  readonly facts: TableFacts;
  /** Per chain of the table: its kind code. */
  private readonly kinds: Uint8Array;
  /** Per chain: the service port name (`ns/name:port`) and protocol (`tcp`, `udp`, `sctp`) the rules give. */
  private readonly servicePortNames: (string | undefined)[];
  private readonly protocols: (string | undefined)[];
  /** Per SEP chain: the number of its DNAT rule (-1 for none) and its destination, canonical. */
  private readonly dnatRules: Int32Array;
  private readonly destinations: (string | undefined)[];
  /** The numbers of the chains of each kind, in table order (by kind code). */
  private readonly byKind: Int32Array[];

  constructor(readonly nat: TableIndex) {
    const count = nat.chainCount;
    this.facts = nat.facts();
    this.kinds = new Uint8Array(count);
    this.servicePortNames = new Array<string | undefined>(count).fill(undefined);
    this.protocols = new Array<string | undefined>(count).fill(undefined);
    this.dnatRules = new Int32Array(count).fill(-1);
    this.destinations = new Array<string | undefined>(count).fill(undefined);
    const sizes = new Int32Array(KINDS.length + 1);
    for (let c = 0; c < count; c++) {
      // Names that are not `KUBE-<kind>-<hash>` may still have a kind prefix (`KUBE-SEP-custom`).
      let code: number = nat.numbers.kindCode(c);
      if (code === 0) {
        const kind = kubeChainKind(nat.chainAt(c).name);
        if (kind === undefined) continue;
        code = KINDS.indexOf(kind) + 1;
      }
      this.kinds[c] = code;
      sizes[code] = (sizes[code] as number) + 1;
    }
    this.byKind = KINDS.map((_, k) => new Int32Array(sizes[k + 1] as number));
    this.all = new Int32Array(this.byKind.reduce((sum, list) => sum + list.length, 0));
    const filled = new Int32Array(KINDS.length + 1);
    let all = 0;
    for (let c = 0; c < count; c++) {
      const code = this.kinds[c] as number;
      if (code === 0) continue;
      this.all[all++] = c;
      (this.byKind[code - 1] as Int32Array)[filled[code] as number] = c;
      filled[code] = (filled[code] as number) + 1;
    }
    this.gather();
    this.propagate();
  }

  /** The kind of chain `c`, or undefined when it is not a per-service chain. */
  kind(c: number): KubeChainKind | undefined {
    const code = this.kinds[c] ?? 0;
    return code === 0 ? undefined : KINDS[code - 1];
  }

  /** The per-service chain named `name`: its number, or undefined. */
  get(name: string): number | undefined {
    const c = this.nat.ordinalOf(name);
    return c !== undefined && this.kinds[c] !== 0 ? c : undefined;
  }

  /** The numbers of the chains of one kind, in table order. */
  ofKind(kind: KubeChainKind): Int32Array {
    return this.byKind[KINDS.indexOf(kind)] as Int32Array;
  }

  /** Whether chain `c` is a KUBE-SVC, KUBE-SVL or KUBE-XLB chain (those that send to endpoints). */
  isServiceChain(c: number): boolean {
    return isServiceCode(this.kinds[c] ?? 0);
  }

  /** Whether chain `c` is a KUBE-SEP chain. */
  isEndpointChain(c: number): boolean {
    return this.kinds[c] === SEP;
  }

  name(c: number): string {
    return this.nat.chainAt(c).name;
  }

  chain(c: number): Chain {
    return this.nat.chainAt(c);
  }

  servicePortName(c: number): string | undefined {
    return this.servicePortNames[c];
  }

  protocol(c: number): string | undefined {
    return this.protocols[c];
  }

  /**
   * Whether chain `c`'s name is `KUBE-<kind>-` and the 16 base32 characters kube-proxy writes for
   * `input` (the start of its SHA-256).
   */
  hashPartMatches(c: number, input: string): boolean {
    return this.nat.numbers.hashPartMatches(c, input);
  }

  /** A SEP chain's DNAT destination (`IP:port`, `[IP]:port`), canonical; set with `dnatRule`. */
  destination(c: number): string | undefined {
    return this.destinations[c];
  }

  /** A SEP chain's DNAT rule (the one its destination is read from). */
  dnatRule(c: number): Rule | undefined {
    const n = this.dnatRules[c] ?? -1;
    return n < 0 ? undefined : this.nat.ruleAt(n);
  }

  /**
   * Whether a source of the SEP chain's `-s X -j KUBE-MARK-MASQ` rules before its DNAT rule
   * passes `test`. Older kube-proxy set the mark in the rule itself (`-s X -j MARK --set-xmark
   * 0x4000/0x4000`): that is the same hairpin rule.
   */
  someHairpinSource(c: number, test: (source: string) => boolean): boolean {
    const f = this.facts;
    const dnat = this.dnatRules[c] ?? -1;
    const end = dnat >= 0 ? dnat : (f.firstRule[c + 1] as number);
    for (let n = f.firstRule[c] as number; n < end; n++) {
      const source = f.source[n];
      const target = f.target[n];
      if ((target === 'KUBE-MARK-MASQ' || target === 'MARK') && source !== undefined && test(source)) return true;
    }
    return false;
  }

  /** Reads the rules in table order. */
  private gather(): void {
    const { kinds, servicePortNames: names, protocols, dnatRules, destinations, facts: f } = this;
    const total = f.size;
    for (let n = 0; n < total; n++) {
      const c = f.chainOf[n] as number;
      const own = kinds[c] as number;
      // Endpoint chains speak for themselves (their own comment and DNAT rule).
      let tc = f.targetChain[n] as number;
      let target = tc >= 0 ? (kinds[tc] as number) : 0;
      if (target === SEP) target = 0;
      if (own === 0 && target === 0) continue;
      if (target === 0) tc = -1;
      const oc = own === 0 ? -1 : c;
      const wantName = (oc >= 0 && names[oc] === undefined) || (tc >= 0 && names[tc] === undefined);
      const wantProto = (oc >= 0 && protocols[oc] === undefined) || (tc >= 0 && protocols[tc] === undefined);
      const wantDnat = own === SEP && dnatRules[c] === -1 && f.target[n] === 'DNAT';
      if (wantName) {
        const comment = f.comment[n];
        const spn = comment === undefined ? undefined : servicePortNameIn(comment);
        if (spn !== undefined) {
          if (oc >= 0 && names[oc] === undefined) names[oc] = spn;
          if (tc >= 0 && names[tc] === undefined) names[tc] = spn;
        }
      }
      if (wantProto) {
        const protocol = f.protocol(n);
        if (protocol !== undefined) {
          if (oc >= 0 && protocols[oc] === undefined) protocols[oc] = protocol;
          if (tc >= 0 && protocols[tc] === undefined) protocols[tc] = protocol;
        }
      }
      if (wantDnat) {
        const to = f.toDestination[n];
        if (to !== undefined) {
          dnatRules[c] = n;
          destinations[c] = canonicalEndpoint(to);
        }
      }
    }
  }

  /**
   * Service chains (SVC, SVL, XLB) lend their name and protocol to the endpoint chains they jump
   * to; a service chain that names no protocol takes its first endpoint chain's. Two passes over
   * the jumps, so that the result does not depend on the order of the chains: every service
   * chain has its protocol before any endpoint chain takes one from it.
   */
  private propagate(): void {
    const { kinds, servicePortNames: names, protocols, facts: f } = this;
    const total = f.size;
    const serviceToEndpoint = (n: number): number => {
      const sep = f.targetChain[n] as number;
      if (sep < 0 || kinds[sep] !== SEP) return -1;
      return isServiceCode(kinds[f.chainOf[n] as number] as number) ? sep : -1;
    };
    for (let n = 0; n < total; n++) {
      const sep = serviceToEndpoint(n);
      const svc = f.chainOf[n] as number;
      if (sep >= 0 && protocols[svc] === undefined && protocols[sep] !== undefined) protocols[svc] = protocols[sep];
    }
    for (let n = 0; n < total; n++) {
      const sep = serviceToEndpoint(n);
      if (sep < 0) continue;
      const svc = f.chainOf[n] as number;
      if (names[sep] === undefined && names[svc] !== undefined) names[sep] = names[svc];
      if (protocols[sep] === undefined && protocols[svc] !== undefined) protocols[sep] = protocols[svc];
    }
  }
}
