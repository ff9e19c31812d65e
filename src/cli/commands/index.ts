import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerCompile } from './compile.js';
import { registerLint } from './lint.js';
import { registerFmt } from './fmt.js';
import { registerParse } from './parse.js';
import { registerTrace } from './trace.js';
import { registerExplain } from './explain.js';
import { registerDiff } from './diff.js';
import { registerCheck } from './check.js';
import { registerGraph } from './graph.js';

/** Every subcommand, in the order `rulec --help` lists them. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerCompile(program, ctx);
  registerParse(program, ctx);
  registerFmt(program, ctx);
  registerTrace(program, ctx);
  registerExplain(program, ctx);
  registerDiff(program, ctx);
  registerCheck(program, ctx);
  registerGraph(program, ctx);
  registerLint(program, ctx);
}
