/** rulec's library API. */
export type * from './ast/types.js';
export type { Diagnostic, Severity } from './diagnostics.js';
export { formatDiagnostic } from './diagnostics.js';
export { printIptablesRestore } from './ast/print-iptables.js';
export { canonicalizeIptables } from './ast/canonical-order.js';
export { compileFiles, compileIptables, loadCluster, addHooks } from './compiler/index.js';
export type { CompileOptions, CompileResult } from './compiler/index.js';
export { hash16, serviceChainName, endpointChainName } from './compiler/chain-names.js';
