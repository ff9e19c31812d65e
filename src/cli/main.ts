import { Command, CommanderError, Option } from 'commander';
import { formatDiagnostic } from '../diagnostics.js';
import { DEFAULT_MAX_INPUT_BYTES, endInputRun, InputTooLargeError, limitInput } from '../read-text-file.js';
import { sizeArgument } from './size-option.js';
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
  // Every command reads inputs: each run reads at most --max-input-size bytes of them.
  program.hook('preAction', (_program, action) => {
    const limit: unknown = action.opts()['maxInputSize'];
    limitInput(typeof limit === 'number' ? limit : DEFAULT_MAX_INPUT_BYTES);
  });
  for (const cmd of program.commands) {
    cmd.addOption(
      new Option('--max-input-size <size>', 'read at most SIZE bytes of input, all inputs together (K, M, G suffixes: 64M, 1G)')
        .argParser(sizeArgument)
        .default(DEFAULT_MAX_INPUT_BYTES, '256M'),
    );
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
    // Input over --max-input-size read where no diagnostic is made of it (standard input).
    if (err instanceof InputTooLargeError) {
      ctx.stderr(`${formatDiagnostic(err.diagnostic())}\n`);
      return EXIT.usage;
    }
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    throw err;
  } finally {
    endInputRun();
  }
  return ctx.exitCode;
}
