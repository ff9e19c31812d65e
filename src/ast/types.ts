import type { IpFamily } from '../kube/ip.js';
import type { NftRuleSet } from './nft-types.js';
/**
 * The rule-set model every stage of rulec meets in. The compiler backends build it, the dump
 * parsers build it, the printers print it, and every analysis reads it.
 *
 * iptables rules are kept as the ordered list of their arguments, exactly as written, because
 * kube-proxy interleaves options of different modules (`-m tcp -p tcp -d IP --dport 80`) and a
 * printer that regrouped them could not be byte-exact. Typed views of a rule (its protocol, its
 * addresses, its matches grouped by module, its target) are derived in `rule-view.ts`.
 */

/** Where a node came from. Lines and columns count from 1. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export type { IpFamily };

/** Packet and byte counters, as `[pkts:bytes]` in iptables-save or columns in a listing. */
export interface Counters {
  packets: number;
  bytes: number;
}

/**
 * One argument of a rule: an option with its values, e.g. `-m comment`, `--comment "a b"`,
 * `! -s 10.0.0.0/8`, `-j DNAT`, `--to-destination 10.0.0.1:80`. `values` holds the unquoted
 * words; an option without a value (`--set`, `--reap`, `--random-fully`) has none.
 */
export interface Arg {
  flag: string;
  negated: boolean;
  values: string[];
  /**
   * For an argument read from a dump: the column of its first word (`!` or the option). Its file
   * and line are those of its rule: every dump format writes a rule on one line, and one number
   * per argument keeps a parsed 400,000-line dump's AST small.
   */
  column?: number;
}

export interface Rule {
  args: Arg[];
  /** `-I CHAIN [N]` instead of `-A CHAIN`; N is 1 when not written. */
  insertAt?: number;
  /** `[pkts:bytes]` before `-A` (iptables-save -c), or the listing's counters. */
  counters?: Counters;
  pos?: SourcePos;
  /** A `# rulec-ignore-next-line id, id` comment just before the rule. */
  suppressions?: string[];
}

export interface Chain {
  name: string;
  /** `ACCEPT`/`DROP` for built-in chains, `-` for user-defined ones (iptables-save's spelling). */
  policy: string;
  /**
   * The policy counters (`[0:0]` for a user-defined chain). Absent when the text the chain was
   * read from does not show them: an `iptables -L` listing without `-v`.
   */
  counters?: Counters;
  rules: Rule[];
  pos?: SourcePos;
}

export interface Table {
  name: string;
  chains: Chain[];
  /** Chains deleted with `-X NAME` lines, in the order they were written. */
  deletedChains: string[];
  /** Chains flushed with `-F NAME` lines. */
  flushedChains?: string[];
  /** False when the table section ended without `COMMIT` (a truncated dump). */
  committed: boolean;
  /**
   * The chain of each rule in the order the rules are written, when that order interleaves
   * chains: a restore script such as kube-proxy's IPVS-mode payload appends to several chains in
   * turn. Entry k names the chain whose next rule is the k-th rule line. Absent: chain by chain.
   */
  ruleOrder?: string[];
  /**
   * Set when the text never named the table (`iptables -S`, `iptables -L`, lines cut out of an
   * iptables-save dump): what the table was inferred from, e.g. `a jump to KUBE-SVC-X`.
   */
  inferredFrom?: string;
  /**
   * Set when the text holds only part of the table (a `grep` excerpt, one chain listed): why.
   * Checks that need every chain of the table (a jump to a chain not listed, a chain nothing
   * jumps to) do not judge such a table.
   */
  excerpt?: string;
  pos?: SourcePos;
}

/**
 * Whether the rule text is complete. Listings such as `iptables -L` without `-n` print host and
 * service names instead of addresses and ports, and drop the options of some matches: such
 * rule sets are marked `lossy` and analyses that need exact values say so instead of guessing.
 */
export type Fidelity = 'exact' | 'lossy';

export interface IptablesRuleSet {
  kind: 'iptables';
  family: IpFamily;
  tables: Table[];
  /** The dump format the rule set came from, or `compiled`. */
  origin: string;
  fidelity: Fidelity;
  /** When `fidelity` is `lossy`: what the text hides, one reason each (`names instead of addresses and ports (no -n)`). */
  lossyBecause?: string[];
  pos?: SourcePos;
}

// ---------------------------------------------------------------------------------------------
// IPVS

export type IpvsProtocol = 'tcp' | 'udp' | 'sctp';
/**
 * Forwarding method. `local` is what `ipvsadm -L` shows for a real server that is an address of
 * the node itself; `ipvsadm -S` prints it as `-g`, like `route`.
 */
export type IpvsForward = 'masq' | 'route' | 'tunnel' | 'local';

/** `--tun-type` and its options (ipvsadm >= 1.31) for a tunnelled real server. */
export interface IpvsTunnel {
  type: 'ipip' | 'gue' | 'gre';
  /** `--tun-port`, for `gue`. */
  port?: number;
  /** `--tun-nocsum` / `--tun-csum` / `--tun-remcsum`. */
  checksum?: 'nocsum' | 'csum' | 'remcsum';
}

export interface IpvsStats {
  /** `--stats`: connections, packets in/out, bytes in/out. `--rate`: per second values. */
  [name: string]: number;
}

export interface RealServer {
  address: string;
  port: number;
  /** Absent when the text does not show it (a `--stats`/`--rate`/`--thresholds` listing, a cut line). */
  forward?: IpvsForward;
  /** Absent when the text does not show it, as `forward`. */
  weight?: number;
  /** Upper/lower connection thresholds (`-x`, `-y`), when set. */
  upperThreshold?: number;
  lowerThreshold?: number;
  activeConnections?: number;
  inactiveConnections?: number;
  /** The `PersistConn` column of `ipvsadm -L --persistent-conn`. */
  persistentConnections?: number;
  tunnel?: IpvsTunnel;
  /**
   * The port as a listing without `-n` printed it when that was not a number (a service name
   * such as `domain`; `''` when the listing cut the text off before the port). `port` is then the
   * number the services table gives that name for the protocol (`src/ast/xtables/netdb.ts`), or
   * 0 when the table does not have it or the text may be cut (`truncated`).
   */
  portName?: string;
  /**
   * The listing printed `ADDR:PORT` in the 28 characters ipvsadm keeps for IPv4 without `-n`, so
   * a host name and its port may be cut off: the port, when not a whole number shown, is unknown.
   */
  truncated?: boolean;
  stats?: IpvsStats;
  pos?: SourcePos;
}

export interface VirtualService {
  /** `fwmark` services are addressed by mark, not by address and port. */
  protocol: IpvsProtocol | 'fwmark';
  address: string;
  port: number;
  fwmark?: number;
  /** The address family of a fwmark service (`-6`). */
  family: IpFamily;
  scheduler: string;
  /** Scheduler flags (`-b flag-1,flag-2`), in the order written. */
  schedulerFlags: string[];
  /** `-p [timeout]` persistence, with `-M netmask` when set. */
  persistence?: { timeout: number; netmask?: string };
  /** `--pe NAME`, a persistence engine such as `sip`. */
  persistenceEngine?: string;
  /** `-o` / `ops`: one-packet scheduling. */
  onePacket?: boolean;
  /** As `RealServer.portName`, for listings without `-n`. */
  portName?: string;
  /** As `RealServer.truncated`. */
  truncated?: boolean;
  realServers: RealServer[];
  stats?: IpvsStats;
  pos?: SourcePos;
}

export interface IpvsRuleSet {
  kind: 'ipvs';
  services: VirtualService[];
  origin: string;
  fidelity: Fidelity;
  /** When `fidelity` is `lossy`: what the text hides, one reason each. */
  lossyBecause?: string[];
  /** For a rule set read from an `ipvsadm -L` listing: how it looked, so it prints back the same. */
  listing?: IpvsListing;
  pos?: SourcePos;
}

/** The columns of an `ipvsadm -L` listing: plain, `--stats`, `--rate`, `--thresholds`, `--persistent-conn`. */
export type IpvsListingColumns = 'default' | 'stats' | 'rate' | 'thresholds' | 'persistent-conn';

export interface IpvsListing {
  columns: IpvsListingColumns;
  /** `--exact`: counters printed in full instead of with K/M/G/T suffixes. */
  exact: boolean;
  /** `IP Virtual Server version 1.2.1 (size=4096)`; absent when the listing had no such line. */
  version?: string;
  size?: number;
}

// ---------------------------------------------------------------------------------------------
// ipset

export interface IpsetMember {
  /** The member as ipset prints it, e.g. `10.96.0.10,udp:53` or `10.0.0.1,tcp:80,10.0.0.1`. */
  value: string;
  /**
   * Per-member options written after it (`comment "x"`, `timeout 5`, `nomatch`...), one word per
   * element with quotes removed: `['comment', 'x', 'timeout', '5', 'nomatch']`.
   */
  options: string[];
  pos?: SourcePos;
}

export interface IpSet {
  name: string;
  /** e.g. `hash:ip,port`, `bitmap:port`. */
  type: string;
  /** Creation options as written (`family inet hashsize 1024 maxelem 65536 comment`). */
  options: string[];
  members: IpsetMember[];
  /** For a set read from `ipset list`: the header fields only that listing shows. */
  listing?: IpsetListing;
  pos?: SourcePos;
}

export interface IpsetListing {
  revision?: number;
  sizeInMemory?: number;
  references?: number;
  /** `Number of entries:` (ipset >= 7). */
  entries?: number;
  /** False for `ipset list -t` (terse), which prints no `Members:` section. */
  membersListed: boolean;
}

export interface IpsetRuleSet {
  kind: 'ipset';
  sets: IpSet[];
  origin: string;
  fidelity: Fidelity;
  /** When `fidelity` is `lossy`: what the text hides, one reason each. */
  lossyBecause?: string[];
  pos?: SourcePos;
}

export type { NftRuleSet };

export type RuleSet = IptablesRuleSet | IpvsRuleSet | IpsetRuleSet | NftRuleSet;
