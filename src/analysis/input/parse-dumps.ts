import type { RuleSet } from '../../ast/types.js';
import type { Diagnostic } from '../../diagnostics.js';
import { parseDump } from '../../grammar/detect.js';
import type { DeferredReading } from '../../grammar/iptables-save/deferred-rules.js';

/**
 * Reads a dump of a node (iptables-save, iptables -S/-L, ipvsadm, ipset; several concatenated in
 * one file are split by the shared detector). `format` forces one format; with `deferRules`, the
 * rules of iptables-save tables are read when their chain is first used.
 */
export function parseDumpText(text: string, file: string, format?: string, deferRules?: DeferredReading): { ruleSets: RuleSet[]; diagnostics: Diagnostic[] } {
  const r = parseDump(text, file, { ...(format ? { format } : {}), ...(deferRules ? { deferRules } : {}) });
  return { ruleSets: r.ruleSets, diagnostics: r.diagnostics };
}
