import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerCompile } from './compile.js';

/** Every subcommand, in the order `rulec --help` lists them. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerCompile(program, ctx);
}
