import { Command, CommanderError } from 'commander';
import { processContext, type CliContext, EXIT } from './context.js';
import { registerCommands } from './commands/index.js';
import { rulecVersion } from '../lint/version.js';

export { watchParent } from './lifeline.js';


export async function buildProgram(ctx: CliContext, commandName?: string): Promise<Command> {
  const program = new Command();
  program
    .name('rulec')
    .description(
      'Compiler and linter for Kubernetes service rules: compiles Services and EndpointSlices into ' +
        'the exact rules kube-proxy writes, and reads iptables, IPVS and ipset dumps back.',
    )
    .version(rulecVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.stdout(s),
      writeErr: (s) => ctx.stderr(s),
    })
    .exitOverride();
  await registerCommands(program, ctx, commandName);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => ctx.stderr(s) });
    cmd.showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/** Runs the CLI with `argv` (as in process.argv) and returns the exit code. */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  const program = await buildProgram(ctx, argv[2]);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    throw err;
  }
  return ctx.exitCode;
}
