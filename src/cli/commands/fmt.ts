import { Command, Option } from 'commander';
import { canonicalizeIptables } from '../../ast/canonical-order.js';
import { canonicalText } from '../../ast/canonical-text.js';
import { printIptablesRules } from '../../ast/print-iptables.js';
import { hasErrors } from '../../diagnostics.js';
import { formatIds } from '../../grammar/formats.js';
import { EXIT, type CliContext } from '../context.js';
import { reportDiagnostics } from '../output.js';
import { parseInput, readInput } from './parse.js';
import { escapeControls } from '../../display-text.js';
import { detectInputKind } from '../../model/input-kind.js';

const HELP_AFTER = `
The canonical text of a dump is the text of the same format, in rulec's canonical order
(the order kube-proxy's own tests sort dumps into: tables by name; KUBE-NODEPORTS, KUBE-SERVICES,
the other KUBE-* chains, then the rest; service rules by service name), with one space between
words and values quoted only where needed. Comments other than '# rulec-ignore-next-line' and
iptables-save's header lines are not kept. A file holding several dumps prints each in turn.

Examples:
  $ rulec fmt node.iptables > node.canonical.iptables
  $ rulec fmt --check golden/*.iptables     # exit 1 when a file is not canonical

Exit codes: 0 printed (or canonical with --check), 1 not canonical (--check), 2 errors in the
input or usage (nothing on stdout).
`;

interface FmtFlags {
  format?: string;
  table?: string;
  check?: boolean;
}

export function registerFmt(program: Command, ctx: CliContext): void {
  program
    .command('fmt')
    .summary('print a dump in canonical form, or check that it is')
    .description('Reads a dump and prints it again in canonical form, in the same format; --check only says whether it already is.')
    .argument('<file>', 'the dump file, or - for standard input')
    .addOption(new Option('--format <format>', 'read the input as this format instead of detecting it').choices(formatIds()))
    .option('--table <table>', 'iptables -S input: the table the listing is of')
    .option('--check', 'print nothing but the file name when it is not canonical, and exit 1')
    .addHelpText('after', HELP_AFTER)
    .action((file: string, opts: FmtFlags) => {
      ctx.exitCode = runFmt(ctx, file, opts);
    });
}

function runFmt(ctx: CliContext, file: string, opts: FmtFlags): number {
  const input = readInput(ctx, file);
  if (input === undefined) return EXIT.usage;
  if (opts.format === undefined && detectInputKind(input.text) === 'manifests') {
    ctx.stderr(`rulec fmt: ${escapeControls(input.name)} holds Kubernetes manifests; fmt prints dumps in canonical form, and 'rulec compile' prints the rules of manifests\n`);
    return EXIT.usage;
  }
  const parsed = parseInput(input, opts);
  reportDiagnostics(ctx, parsed.diagnostics);
  if (hasErrors(parsed.diagnostics)) return EXIT.usage;
  const pieces: string[] = [];
  for (const rs of parsed.ruleSets) {
    let text = canonicalText(rs);
    // rulec prints no `iptables -L` layout: a listing's rules are printed as `iptables -S` prints them.
    if (text === undefined && rs.kind === 'iptables' && rs.origin === 'iptables-list') {
      ctx.stderr(`rulec fmt: ${escapeControls(input.name)}: an iptables -L listing is printed as the iptables -S text of its rules${rs.fidelity === 'lossy' ? ` (the listing is lossy: ${(rs.lossyBecause ?? []).join('; ')})` : ''}\n`);
      text = printIptablesRules(canonicalizeIptables(rs), { counters: false });
    }
    if (text === undefined) {
      ctx.stderr(`rulec: fmt cannot print ${rs.origin} text; 'rulec parse' reads it\n`);
      return EXIT.usage;
    }
    pieces.push(text);
  }
  const canonical = pieces.join('');
  if (opts.check) {
    const original = input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text;
    if (original === canonical) return EXIT.ok;
    ctx.stdout(`${escapeControls(input.name)}: not canonical\n`);
    return EXIT.findings;
  }
  ctx.stdout(canonical);
  return EXIT.ok;
}

export { canonicalText };
