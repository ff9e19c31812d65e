import { load as loadYaml } from 'js-yaml';
import type { Diagnostic } from '../../diagnostics.js';
import { TRACE_PROTOCOLS, formatHostPort, parseHostPort, type TraceOrigin, type TraceProtocol } from './packet.js';
import type { PacketQuery } from './tracer.js';

/** One flow of a flows file: `{source, protocol, destination, port}` (other keys are kept aside). */
export interface Flow {
  query: PacketQuery;
  name?: string;
}

const ORIGINS: readonly TraceOrigin[] = ['pod', 'node', 'external'];

/**
 * Reads a flows file: JSON or YAML with a `flows` list (or a bare list) of
 * `{source, protocol, destination, port, from?, name?}`. `destination` may carry the port
 * (`IP:PORT`), or `port` gives it. Bad entries give diagnostics; the good ones are kept in order.
 */
export function readFlows(text: string, file: string): { flows: (Flow | null)[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const bad = (message: string) => diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'RC610', message });
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (err) {
    const mark = (err as { mark?: { line?: number; column?: number } }).mark;
    diagnostics.push({ file, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1, severity: 'error', code: 'RC610', message: 'not valid JSON or YAML' });
    return { flows: [], diagnostics };
  }
  const list = Array.isArray(doc) ? doc : isRecord(doc) && Array.isArray(doc.flows) ? doc.flows : null;
  if (!list) {
    bad('expected a `flows` list (or a list) of {source, protocol, destination, port}');
    return { flows: [], diagnostics };
  }
  const flows = list.map((item: unknown, i: number): Flow | null => {
    if (!isRecord(item)) {
      bad(`flows[${i}]: not an object`);
      return null;
    }
    const dest = typeof item.destination === 'string' ? item.destination : null;
    if (!dest) {
      bad(`flows[${i}]: destination missing`);
      return null;
    }
    const proto = typeof item.protocol === 'string' ? item.protocol.toLowerCase() : 'tcp';
    if (!(TRACE_PROTOCOLS as readonly string[]).includes(proto)) {
      bad(`flows[${i}]: protocol ${JSON.stringify(item.protocol)} is not TCP, UDP, SCTP or ICMP`);
      return null;
    }
    const hp = parseHostPort(dest);
    if (!hp) {
      bad(`flows[${i}]: destination ${JSON.stringify(dest.slice(0, 60))} is not an IP address`);
      return null;
    }
    const port = typeof item.port === 'number' ? item.port : typeof item.port === 'string' && /^\d+$/.test(item.port) ? Number(item.port) : null;
    const destination = port !== null && hp.port === null ? formatHostPort(hp.ip, port) : dest;
    const query: PacketQuery = { destination, protocol: proto as TraceProtocol };
    if (typeof item.source === 'string') query.source = item.source;
    if (typeof item.from === 'string' && (ORIGINS as readonly string[]).includes(item.from)) query.from = item.from as TraceOrigin;
    const flow: Flow = { query };
    if (typeof item.name === 'string') flow.name = item.name;
    return flow;
  });
  return { flows, diagnostics };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
