import type { Command } from 'commander';
import type { CliContext } from '../context.js';

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Every subcommand, in the order `rulec --help` lists them, each loaded only when needed: a run
 * of one command does not pay for loading the grammars and analyses of the others.
 */
const COMMANDS: { name: string; load: () => Promise<Register> }[] = [
  { name: 'compile', load: async () => (await import('./compile.js')).registerCompile },
  { name: 'parse', load: async () => (await import('./parse.js')).registerParse },
  { name: 'fmt', load: async () => (await import('./fmt.js')).registerFmt },
  { name: 'trace', load: async () => (await import('./trace.js')).registerTrace },
  { name: 'explain', load: async () => (await import('./explain.js')).registerExplain },
  { name: 'diff', load: async () => (await import('./diff.js')).registerDiff },
  { name: 'check', load: async () => (await import('./check.js')).registerCheck },
  { name: 'graph', load: async () => (await import('./graph.js')).registerGraph },
  { name: 'lint', load: async () => (await import('./lint.js')).registerLint },
  { name: 'playground', load: async () => (await import('./playground.js')).registerPlayground },
];

/** Registers the command named `only` when it is one, else every command (for help and errors). */
export async function registerCommands(program: Command, ctx: CliContext, only?: string): Promise<void> {
  const one = COMMANDS.find((c) => c.name === only);
  for (const c of one ? [one] : COMMANDS) (await c.load())(program, ctx);
}
