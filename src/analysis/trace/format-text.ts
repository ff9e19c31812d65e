import type { TraceStep } from './branch.js';
import type { TraceResult } from './result.js';
import { escapeControlsKeepingLines } from '../../display-text.js';

const ORIGIN_TEXT = { pod: 'from a pod', node: 'from the node itself', external: 'from outside the node' } as const;

/** A probability as a percentage with up to 4 decimals: `33.3333%`, `50%`. */
export function percent(p: number): string {
  const v = Math.round(p * 1_000_000) / 10_000;
  return `${v}%`;
}

function stepLines(s: TraceStep, indent: string): string[] {
  const where = s.rule === null ? `${s.table} ${s.chain}` : `${s.table} ${s.chain} #${s.rule}`;
  const p = s.probability !== undefined ? ` [p=${percent(s.probability)}]` : '';
  const lines = [`${indent}${where}: ${s.action}${p}`];
  if (s.rule !== null || s.table === 'ipvs') lines.push(`${indent}    ${s.text}`);
  return lines;
}

function verdictLine(r: TraceResult): string {
  switch (r.verdict) {
    case 'DNAT':
      return r.endpoints.length === 1 ? `DNAT to ${r.endpoints[0]?.destination ?? ''}` : `DNAT to one of ${r.endpoints.length} endpoints`;
    case 'NONE':
      return 'NONE (no rule changes or ends the packet; it goes on unchanged)';
    case 'ACCEPT':
      return 'ACCEPT (a rule accepts it for the node itself)';
    case 'DROP':
      return 'DROP (a rule drops it silently)';
    case 'REJECT':
      return 'REJECT (a rule refuses it; the client gets an error at once)';
    case 'QUEUE':
      return 'QUEUE (handed to a user-space program)';
  }
}

function sameStep(a: TraceStep, b: TraceStep): boolean {
  return a.table === b.table && a.chain === b.chain && a.rule === b.rule && a.action === b.action && a.probability === b.probability && a.hook === b.hook;
}

/** How many steps at the end all paths share. */
function commonSuffix(paths: readonly TraceStep[][]): number {
  const first = paths[0] ?? [];
  let n = 0;
  for (;;) {
    const step = first[first.length - 1 - n];
    if (!step || !paths.every((p) => p.length > n && sameStep(p[p.length - 1 - n] as TraceStep, step))) return n;
    n++;
  }
}

/** The trace for a terminal: the packet, the shared path, each way after a split, the verdict. */
export function formatTraceText(r: TraceResult): string {
  const out: string[] = [];
  const p = r.packet;
  out.push(`${p.source} -> ${p.destination}/${p.protocol} ${ORIGIN_TEXT[p.from]}: enters nat ${p.enters}`);
  if (r.dns) out.push(`dns: ${r.dns.name} ${r.dns.type} ${r.dns.records.join(', ') || '(none)'} - ${r.dns.note}`);
  if (r.service) out.push(`service: ${r.service.name} (${r.service.via})`);
  out.push('');
  for (const s of r.path) out.push(...stepLines(s, '  '));
  const forked = r.outcomes.length > 1;
  // Steps every way ends with (the filter and POSTROUTING hooks after the DNAT) are shown once.
  const suffix = forked ? commonSuffix(r.outcomes.map((o) => o.path)) : 0;
  if (forked) out.push(`  then ${r.outcomes.length} ways (each with its share of new connections):`);
  for (const o of r.outcomes) {
    const indent = forked ? '    ' : '  ';
    if (forked) out.push(`  - ${percent(o.probability)}${o.destination ? ` -> ${o.destination}` : ` -> ${o.verdict}`}${o.masquerade ? ' (masqueraded)' : ''}`);
    for (const s of o.path.slice(0, o.path.length - suffix)) out.push(...stepLines(s, indent));
  }
  if (suffix > 0) {
    out.push('  then, on every way:');
    for (const s of (r.outcomes[0]?.path ?? []).slice(-suffix)) out.push(...stepLines(s, '    '));
  }
  out.push('');
  out.push(`verdict: ${verdictLine(r)}`);
  if (r.verdict === 'DNAT') {
    const width = Math.max(...r.endpoints.map((e) => e.destination.length));
    for (const e of r.endpoints) out.push(`  ${e.destination.padEnd(width)}  ${percent(e.probability)}${e.masquerade ? '  masqueraded' : ''}`);
  }
  const partial = r.outcomes.filter((o) => o.verdict !== r.verdict);
  for (const o of partial) out.push(`  ${percent(o.probability)} of packets: ${o.verdict}`);
  out.push(`masquerade: ${r.masquerade ? 'yes (the source is rewritten to the node address on the way out)' : 'no'}`);
  if (r.icmp) out.push(`ping answered: ${r.icmp.answered ? 'yes' : 'no'} - ${r.icmp.reason}`);
  if (r.notes.length > 0) {
    out.push('notes:');
    for (const n of r.notes) out.push(`  - ${n.kind}: ${n.message}${n.at ? ` (${n.at})` : ''}`);
  }
  return escapeControlsKeepingLines(`${out.join('\n')}\n`);
}
