/**
 * What kube-proxy's rules say about one service port, in terms every mode shares, so that rule
 * sets of any mode (compiled or dumped) can be compared by meaning: `diff`, `check` and `drift`
 * read these states.
 */
export interface ServicePortState {
  /** `ns/name:port`, or `ns/name` for an unnamed port. */
  name: string;
  protocol: string;
  /** `cluster IP 10.96.0.10:53`, `external IP …`, `load balancer IP …`, `node port 30080`, … sorted. */
  frontends: string[];
  /** The endpoints the cluster-wide chain picks from, sorted. */
  endpoints: string[];
  /** The endpoints the node-local chain picks from, sorted. */
  localEndpoints: string[];
  /** `externalTrafficPolicy: Local`, `session affinity 10800s`, `source range 203.0.113.0/25`, … sorted. */
  policies: string[];
}

/** The kinds of frontend a state names, each the first words of its text. */
export const FRONTEND_KINDS = ['cluster IP', 'external IP', 'load balancer IP', 'external or load balancer IP', 'node port', 'health check node port', 'service IP'] as const;
export type FrontendKind = (typeof FRONTEND_KINDS)[number];

/** A frontend's text: `cluster IP 10.96.0.10:53`, `node port 30080`, `cluster IP [fd00::a]:53`. */
export function frontendText(kind: FrontendKind, where: string): string {
  return `${kind} ${where}`;
}

/** `host:port`, with brackets around an IPv6 host; the host or the port may be empty. */
export function hostPortText(host: string, port: string | null): string {
  return `${host.includes(':') ? `[${host}]` : host}${port ? `:${port}` : ''}`;
}

/** A frontend's kind and place; the longest kind that starts the text wins. */
export function readFrontend(text: string): { kind: FrontendKind; where: string } | undefined {
  let best: FrontendKind | undefined;
  for (const k of FRONTEND_KINDS) if (text.startsWith(`${k} `) && (best === undefined || k.length > best.length)) best = k;
  return best === undefined ? undefined : { kind: best, where: text.slice(best.length + 1) };
}

export function serviceKey(name: string, protocol: string): string {
  return `${name}/${protocol}`;
}

/**
 * The service port states a model collects, by name and protocol: `get` makes one the first time
 * it is asked for, `add` adds a value to a list once, `sorted` gives them with every list sorted.
 */
export function serviceStates(): {
  get: (name: string, protocol: string) => ServicePortState;
  add: (list: string[], v: string) => void;
  sorted: () => Map<string, ServicePortState>;
} {
  const services = new Map<string, ServicePortState>();
  return {
    get: (name, protocol) => {
      const key = serviceKey(name, protocol);
      let s = services.get(key);
      if (!s) {
        s = { name, protocol, frontends: [], endpoints: [], localEndpoints: [], policies: [] };
        services.set(key, s);
      }
      return s;
    },
    add: (list, v) => {
      if (!list.includes(v)) list.push(v);
    },
    sorted: () => {
      for (const s of services.values()) {
        s.frontends.sort();
        s.endpoints.sort();
        s.localEndpoints.sort();
        s.policies.sort();
      }
      return services;
    },
  };
}
