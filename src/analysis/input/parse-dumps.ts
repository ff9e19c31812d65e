import type { RuleSet } from '../../ast/types.js';
import type { Diagnostic } from '../../diagnostics.js';
import { parseDump } from '../../grammar/detect.js';

/**
 * Reads a dump of a node (iptables-save, iptables -S/-L, ipvsadm, ipset; several concatenated in
 * one file are split by the shared detector). `format` forces one format.
 */
export function parseDumpText(text: string, file: string, format?: string): { ruleSets: RuleSet[]; diagnostics: Diagnostic[] } {
  const r = parseDump(text, file, format ? { format } : {});
  return { ruleSets: r.ruleSets, diagnostics: r.diagnostics };
}
