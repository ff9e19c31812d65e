import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { renderSummaryText, summarizeDump, writeSummaryJson } from '../../analysis/summary.js';
import { formatDiagnostic, hasErrors } from '../../diagnostics.js';
import { parseDump, type ParsedDump } from '../../grammar/detect.js';
import { formatIds } from '../../grammar/formats.js';
import { EXIT, type CliContext } from '../context.js';
import { reportDiagnostics } from '../output.js';
import { InputTooLargeError, readTextFile } from '../../read-text-file.js';
import { escapeControls } from '../../display-text.js';
import { bufferedWriter, writeJson as writeJsonValue } from '../../json-stream.js';

const HELP_AFTER = `
Formats (detected from the text unless --format names one):
  iptables-save   iptables-save / ip6tables-save output, with or without -c
  iptables-rules  iptables -S / ip6tables -S output (the table is inferred from the chains
                  when no pasted "iptables -t TABLE -S" line says it; --table sets it)
  iptables-list   iptables -L listings
  ipvsadm-save    ipvsadm -S -n;   ipvsadm-list  ipvsadm -L -n (--stats, --rate, ...)
  ipset-save      ipset save;      ipset-list    ipset list
A file may hold several dumps one after another (as pasted from a node); shell prompts, '---'
and '...' lines between or inside them are skipped with a warning.

Examples:
  $ rulec parse --summary node-dump.txt
  $ iptables-save | rulec parse -
  $ rulec parse --format iptables-rules --table nat nat-rules.txt

Exit codes: 0 read (warnings on stderr), 2 errors in the input or usage (nothing on stdout).
`;

interface ParseFlags {
  format?: string;
  table?: string;
  json?: boolean;
  summary?: boolean;
}

export function registerParse(program: Command, ctx: CliContext): void {
  program
    .command('parse')
    .summary('read iptables, IPVS and ipset dumps into the rule-set AST')
    .description(
      'Reads a dump taken from a node (or several pasted together) and prints the rule-set AST as JSON, every node with its file, line and column; --summary prints the chains, services, IPVS services and ipsets found instead.',
    )
    .argument('<file>', 'the dump file, or - for standard input')
    .addOption(new Option('--format <format>', 'read the input as this format instead of detecting it').choices(formatIds()))
    .option('--table <table>', 'iptables -S input: the table the listing is of')
    .option('--json', 'print JSON (the default for the AST; with --summary, the summary as JSON)')
    .option('--summary', 'print a summary: tables and chains, services and their endpoints, IPVS, ipsets, diagnostics')
    .addHelpText('after', HELP_AFTER)
    .action((file: string, opts: ParseFlags) => {
      ctx.exitCode = runParse(ctx, file, opts);
    });
}

function runParse(ctx: CliContext, file: string, opts: ParseFlags): number {
  const input = readInput(ctx, file);
  if (input === undefined) return EXIT.usage;
  const parsed = parseInput(input, opts);
  reportDiagnostics(ctx, parsed.diagnostics);
  if (hasErrors(parsed.diagnostics)) return EXIT.usage;
  const out = bufferedWriter((s) => ctx.stdout(s));
  if (opts.summary) {
    if (opts.json) writeSummaryJson(parsed, out.write);
    else out.write(renderSummaryText(summarizeDump(parsed)).slice(0, -1));
  } else {
    writeJson({ file: input.name, sections: parsed.sections, ruleSets: parsed.ruleSets, diagnostics: parsed.diagnostics }, out.write);
  }
  out.write('\n');
  out.flush();
  return EXIT.ok;
}

export interface Input {
  /** The name diagnostics use: the path as given, or `<stdin>`. */
  name: string;
  text: string;
}

/** Reads FILE (relative to the working directory) or standard input for `-`. */
export function readInput(ctx: CliContext, file: string): Input | undefined {
  if (file === '-') return { name: '<stdin>', text: ctx.readStdin() };
  try {
    return { name: file, text: readTextFile(resolve(ctx.cwd, file)) };
  } catch (err) {
    if (err instanceof InputTooLargeError) {
      ctx.stderr(`${formatDiagnostic(err.diagnostic(file))}\n`);
      return undefined;
    }
    const code = (err as NodeJS.ErrnoException).code;
    ctx.stderr(`rulec: cannot read ${escapeControls(file)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(err))}\n`);
    return undefined;
  }
}

export function parseInput(input: Input, opts: { format?: string; table?: string }): ParsedDump {
  return parseDump(input.text, input.name, {
    ...(opts.format === undefined ? {} : { format: opts.format }),
    ...(opts.table === undefined ? {} : { table: opts.table }),
  });
}

/** Writes `value` as `JSON.stringify(value, null, 2)` would, piece by piece (see json-stream.ts). */
export function writeJson(value: unknown, write: (s: string) => void): void {
  writeJsonValue(value, write, 0);
}
