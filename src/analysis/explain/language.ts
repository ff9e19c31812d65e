import type { Fields, RuleKind } from './classify.js';
import type { RuleFacts } from './facts.js';
import type { VersionFactId } from '../../kube/kube-proxy-version-facts.js';

/**
 * Which kube-proxy releases wrote a line in a layout the newest release no longer writes:
 * `releases` as `1.5–1.23`, `next` the first release that writes it otherwise (`1.24`).
 */
export type OlderLayoutSentence = (releases: string, next: string) => string;

export type Lang = 'en' | 'zh';

export const LANGS: readonly Lang[] = ['en', 'zh'];

/** A virtual service as an explanation needs it. */
export interface VirtualServiceFacts {
  selector: string;
  /** `''` when the listing the rules come from does not show it. */
  scheduler: string;
  realServers: number;
  persistence: number | null;
}

export interface RealServerFacts {
  selector: string;
  server: string;
  /** Null when the listing the rules come from does not show it. */
  forward: string | null;
  /** Null when the listing does not show it. */
  weight: number | null;
  /** The share of new connections it gets, e.g. `50%`. */
  share: string;
}

/**
 * Everything explain says, in one language. The compiler checks that every language has a sentence
 * for every rule kind; `generic` is only for rules kube-proxy does not write.
 */
export interface Language {
  rules: Record<Exclude<RuleKind, 'generic'>, (f: Fields, x: RuleFacts) => string>;
  generic: (x: RuleFacts) => string;
  chain: (table: string, name: string, spn: string | null, endpoint: string | null) => string;
  virtualService: (v: VirtualServiceFacts) => string;
  realServer: (r: RealServerFacts) => string;
  ipset: (name: string, type: string, members: number) => string;
  /** What goes between two sentences: a space in English, nothing in Chinese. */
  sentenceGap: string;
  /** The sentences for the facts of older layouts explain names (src/kube/kube-proxy-version-facts.ts). */
  olderLayout: Partial<Record<VersionFactId, OlderLayoutSentence>>;
}
