import type { RuleSet } from '../ast/types.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import { FORMATS, findFormat, formatIds, type FormatOptions, type OutputStart, type RegisteredFormat } from './formats.js';
import { tableOfSaveCommand } from './iptables-save/index.js';
import { clip } from '../display-text.js';
import { describeShellLine, shellLineOf } from '../paste/shell-lines.js';
import { annotationStart, describeArtefact, withoutCopyArtefacts } from '../paste/copy-artefacts.js';
import { withoutLongLines } from './limits.js';
import { shortenMessage } from '../display-text.js';

/** Diagnostic codes of format detection. */
export const DetectCode = {
  /** A line that is not part of any dump (a shell prompt, `---`, `...`); skipped. */
  strayLine: 'RC290',
  /** Text in which no dump rulec reads was found. */
  noDump: 'RC291',
  /** A `--format` that names no format. */
  unknownFormat: 'RC292',
  /** Web-page spaces, typographic quotes or zero-width characters, read as typed (a note). */
  copyArtefact: 'RC293',
  /** An author's mark after a line (`← 1`, `<-- this`, `  # note`), left out (a note). */
  annotation: 'RC294',
} as const;

export interface ParseDumpOptions extends FormatOptions {
  /** Read the whole text as this format instead of detecting it. */
  format?: string;
}

/** One stretch of the text that holds one dump, lines counted from 1. */
export interface DumpSection {
  format: string;
  firstLine: number;
  lastLine: number;
}

export interface ParsedDump {
  ruleSets: RuleSet[];
  diagnostics: Diagnostic[];
  sections: DumpSection[];
}

interface OpenSection {
  entry: RegisteredFormat;
  firstLine: number;
  startOffset: number;
  lastLine: number;
  endOffset: number;
}

/**
 * Reads a text that holds one or more dumps, as a person pastes them from a node: finds where
 * each dump starts (the formats in `formats.ts` say which lines start theirs), parses each
 * section with its format, and turns lines that belong to no dump — a shell prompt, a `---`
 * or `...` someone typed, a stray word between dumps — into warnings while reading goes on.
 * With `format` set the whole text is one section of that format. Never throws.
 */
export function parseDump(text: string, file: string, options: ParseDumpOptions = {}): ParsedDump {
  const diagnostics: Diagnostic[] = [];
  const sections: OpenSection[] = [];
  const skipped = new Set<number>();
  const forced = options.format === undefined ? undefined : findFormat(options.format);
  if (options.format !== undefined && forced === undefined) {
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      code: DetectCode.unknownFormat,
      message: `unknown format '${options.format}'; rulec reads ${formatIds().join(', ')}`,
    });
    return { ruleSets: [], diagnostics, sections: [] };
  }

  // Lines no dump has are not read by any grammar (one line of megabytes costs seconds there).
  const long = withoutLongLines(text, file);
  text = long.text;
  diagnostics.push(...long.diagnostics);
  // Text copied from a web page or a chat: its spaces and quotes are read as typed.
  const cleaned = withoutCopyArtefacts(text);
  text = cleaned.text;
  for (const a of cleaned.artefacts) {
    diagnostics.push({ file, line: a.line, column: 1, severity: 'note', code: DetectCode.copyArtefact, message: describeArtefact(a) });
  }
  /** Lines with an author's mark after them, and where it starts: the mark is blanked out. */
  const annotated = new Map<number, number>();
  /** Lines of prompts and commands, where one pasted output ends and the next begins. */
  const commandLines = new Map<number, string | undefined>();
  /** Lines where the author cut the text (`...`). */
  const cutLines = new Set<number>();
  /** Whether the last line with text was a prompt or a command. */
  let afterCommand = false;
  /** Whether the lines read are another command's output (after a prompt), not the dump's. */
  let foreignOutput = false;
  /** Lines of rules typed after a prompt, and where the command starts: the prompt is blanked. */
  const prompted = new Map<number, number>();

  const warn = (line: number, message: string, severity: 'warning' | 'note' = 'warning'): void => {
    diagnostics.push({ file, line, column: 1, severity, code: DetectCode.strayLine, message });
  };

  let current: OpenSection | undefined;
  /** iptables-save only: whether a `*table` is open (then rule lines belong to it). */
  let tableOpen = false;
  let sawContent = false;
  /** Whether the open iptables-save section has had a `*table` line. */
  let sawTableLine = false;
  const len = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  while (pos < len) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = len;
    lineNo++;
    const start = pos;
    pos = nl + 1;
    const c0 = text.charCodeAt(start);
    // The hot path: inside an open iptables-save table, rule and chain lines need no look.
    if (tableOpen && current !== undefined && (c0 === 91 || c0 === 58 || (c0 === 45 && isUpper(text.charCodeAt(start + 1))))) {
      current.lastLine = lineNo;
      current.endOffset = nl;
      continue;
    }
    let end = nl;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    let line = text.slice(start, end);
    const mark = annotationStart(line);
    if (mark > 0 && !(tableOpen && c0 === 35) && !(current?.entry.ownsHashText === true && line.slice(mark).trimStart().startsWith('#'))) {
      annotated.set(lineNo, mark);
      diagnostics.push({ file, line: lineNo, column: mark + 1, severity: 'note', code: DetectCode.annotation, message: `'${clip(line.slice(mark).trim(), 40)}' after the line is a note of the paste's author, not part of the dump; left out` });
      line = line.slice(0, mark);
    }
    const trimmed = line.trim();
    if (trimmed === '') {
      if (current) {
        current.lastLine = lineNo;
        current.endOffset = nl;
      }
      continue;
    }
    sawContent = true;

    // The author's cut (`...`) is never text of a dump, even where a format reads indented lines.
    const t0 = trimmed.charCodeAt(0);
    if (forced === undefined && (t0 === 46 || t0 === 0x2026 || t0 === 91) && shellLineOf(trimmed)?.kind === 'elision') {
      warn(lineNo, `${describeShellLine({ kind: 'elision' }, trimmed)} is not part of a dump; skipped`, 'note');
      skipped.add(lineNo);
      cutLines.add(lineNo);
      continue;
    }
    let claim = forced ?? (!afterCommand && !foreignOutput && current?.entry.continuesSection?.(line) ? current.entry : FORMATS.find((f) => f.format.startsSection(line)));
    // A rule line indented by the page it was copied from (a list item, a blog's code block).
    if (claim === undefined && forced === undefined && trimmed !== line.trimEnd() && (t0 === 45 || t0 === 58 || t0 === 42 || t0 === 91)) {
      claim = FORMATS.find((f) => (f.format.id === 'iptables-save' || f.format.id === 'iptables-rules') && f.format.startsSection(trimmed));
    }
    // A rule typed after a prompt (`root@node:~# ipvsadm -A -t 10.9.8.7:80 -s rr`): the prompt
    // is blanked out, the command read as the format that claims it.
    if (claim === undefined) {
      const shell = shellLineOf(trimmed);
      if (shell?.kind === 'prompt' && shell.command !== undefined) {
        const at = line.lastIndexOf(shell.command);
        const typed = at > 0 ? FORMATS.find((f) => f.format.startsSection(shell.command as string) && f.format.id !== 'iptables-rules') : undefined;
        if (typed !== undefined) {
          claim = typed;
          prompted.set(lineNo, at);
          line = ' '.repeat(at) + line.slice(at);
        }
      }
    }
    // Lines an iptables-save dump holds inside a table (`:CHAIN`, `[0:0] -A`), with no `*table`
    // line before them, were cut out of a dump (`iptables-save | grep`): rules without a table.
    if (claim !== undefined && claim.format.id === 'iptables-save' && !tableOpen && forced === undefined && c0 === 58 && !(current?.entry === claim && current !== undefined && sawTableLine)) {
      claim = RULES_FORMAT;
    }
    // With --format, a line the format itself takes (a typed `ipvsadm -A …`) is no shell line.
    if (claim === undefined || (forced !== undefined && !forced.format.startsSection(line))) {
      const shell = shellLineOf(trimmed);
      if (shell !== undefined) {
        warn(lineNo, `${describeShellLine(shell, trimmed)} is not part of a dump; skipped`, 'note');
        skipped.add(lineNo);
        if (shell.kind === 'prompt' || shell.kind === 'command') {
          commandLines.set(lineNo, shell.command === undefined ? undefined : tableOfSaveCommand(shell.command));
          afterCommand = true;
        }
        if (shell.kind === 'elision') cutLines.add(lineNo);
        continue;
      }
    }

    if (forced !== undefined) {
      if (current === undefined) current = open(forced, lineNo, start, nl);
      current.lastLine = lineNo;
      current.endOffset = nl;
      continue;
    }

    let belongs = false;
    if (current !== undefined) {
      const id = current.entry.format.id;
      if (id === 'iptables-save') {
        if (tableOpen) belongs = claim === undefined || claim === current.entry || claim.isWeakStart(line);
        else belongs = claim === current.entry || trimmed.startsWith('#') || (claim === undefined && trimmed === 'COMMIT');
      } else if (id === 'iptables-rules') {
        // Every line of `iptables -S` starts with a command; other text only ends it.
        belongs = claim === current.entry || (claim === undefined && (t0 === 45 || t0 === 91 || t0 === 58));
      } else {
        // After a prompt, text no format claims is the output of another command, and a listing
        // that starts again is another listing (a second snapshot), not more of this one.
        belongs = (claim === current.entry && !(afterCommand && !claim.isWeakStart(line) && claim.restartsAfterPrompt === true)) || (claim === undefined && !afterCommand && !foreignOutput);
      }
    }
    // Another command's output goes on until a line of a dump comes again.
    if (claim !== undefined) foreignOutput = false;
    else if (afterCommand && !belongs) foreignOutput = true;
    afterCommand = false;
    if (belongs && current !== undefined) {
      current.lastLine = lineNo;
      current.endOffset = nl;
    } else if (claim !== undefined) {
      current = open(claim, lineNo, start, nl);
      tableOpen = false;
      sawTableLine = false;
    } else if (current === undefined && trimmed.startsWith('#')) {
      // A comment before any dump: nothing to read, nothing to warn about.
      continue;
    } else {
      // A line that looks like part of a rule may be one that was damaged: that is worth a warning.
      warn(lineNo, `line '${clip(trimmed, 50)}' is not part of ${current ? `the ${current.entry.format.id} dump above it` : 'any dump rulec reads'}; skipped`, RULE_LIKE.test(trimmed) ? 'warning' : 'note');
      skipped.add(lineNo);
      continue;
    }
    if (current.entry.format.id === 'iptables-save') {
      if (trimmed.startsWith('*')) {
        tableOpen = true;
        sawTableLine = true;
      } else if (trimmed === 'COMMIT') tableOpen = false;
    }
  }

  function open(entry: RegisteredFormat, firstLine: number, startOffset: number, endOffset: number): OpenSection {
    const s: OpenSection = { entry, firstLine, startOffset, lastLine: firstLine, endOffset };
    sections.push(s);
    return s;
  }

  const ruleSets: RuleSet[] = [];
  let previousEnd = 0;
  const late = options.deferRules;
  if (late !== undefined) options = { ...options, deferRules: { report: (d) => late.report(withShortTokens(d)) } };
  for (const s of sections) {
    const body = sectionText(text, s, skipped, annotated, prompted);
    const breaks: OutputStart[] = [];
    // The command just before the section too: `iptables-save -t nat | grep X` names its table.
    let before: number | undefined;
    for (const [line, table] of commandLines) {
      if (line > previousEnd && line < s.firstLine) before = line;
      if (line > s.firstLine && line <= s.lastLine) breaks.push(table === undefined ? { line } : { line, table });
    }
    const beforeTable = before === undefined ? undefined : commandLines.get(before);
    if (beforeTable !== undefined) breaks.unshift({ line: before as number, table: beforeTable });
    previousEnd = s.lastLine;
    const cuts = [...cutLines].filter((n) => n > s.firstLine && n <= s.lastLine);
    let sectionOptions: FormatOptions = options;
    if (breaks.length > 0) sectionOptions = { ...sectionOptions, outputStarts: breaks };
    if (cuts.length > 0) sectionOptions = { ...sectionOptions, cuts };
    const r = s.entry.parseWith ? s.entry.parseWith(body, file, s.firstLine, sectionOptions) : s.entry.format.parse(body, file, s.firstLine);
    for (const rs of r.ruleSets) ruleSets.push(rs);
    for (const d of r.diagnostics) diagnostics.push(d);
  }
  if (sections.length === 0 && sawContent) {
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      code: DetectCode.noDump,
      message: `no dump found: the text is none of ${formatIds().join(', ')} (use --format to name one)`,
    });
  }
  return {
    ruleSets,
    diagnostics: sortDiagnostics(diagnostics.map(withShortTokens)),
    sections: sections.map((s) => ({ format: s.entry.format.id, firstLine: s.firstLine, lastLine: s.lastLine })),
  };
}

/** A diagnostic whose message echoes no token of the dump longer than about 80 characters, nor is over 600. */
function withShortTokens(d: Diagnostic): Diagnostic {
  const message = shortenMessage(d.message);
  return message === d.message ? d : { ...d, message };
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/**
 * The text of a section, with skipped lines left empty so that line numbers stay true, and an
 * author's marks after lines left out.
 */
function sectionText(text: string, s: OpenSection, skipped: ReadonlySet<number>, annotated: ReadonlyMap<number, number>, prompted: ReadonlyMap<number, number>): string {
  let any = false;
  for (const n of prompted.keys()) if (n >= s.firstLine && n <= s.lastLine) any = true;
  for (const n of skipped) if (n >= s.firstLine && n <= s.lastLine) any = true;
  for (const n of annotated.keys()) if (n >= s.firstLine && n <= s.lastLine) any = true;
  // The whole text, when the section is all of it: no slice for the parser to read through.
  const whole = s.startOffset === 0 && (s.endOffset === text.length || (s.endOffset === text.length - 1 && text.endsWith('\n')));
  const body = whole ? text : text.slice(s.startOffset, s.endOffset);
  if (!any) return body;
  return body
    .split('\n')
    .map((l, i) => {
      const n = s.firstLine + i;
      if (skipped.has(n)) return '';
      const mark = annotated.get(n);
      const typed = prompted.get(n);
      const line = typed === undefined ? l : ' '.repeat(typed) + l.slice(typed);
      return mark === undefined ? line : line.slice(0, mark);
    })
    .join('\n');
}

const RULES_FORMAT = findFormat('iptables-rules') as RegisteredFormat;


/**
 * The start of a rule whose line no format could claim: an `-A CHAIN` (maybe missing its dash),
 * a listing row (`TARGET prot opt`), an IPVS service or real server.
 */
const RULE_LIKE = /^(?:\[\d+:\d+\]\s*)?-?[AINPX]\s+[A-Z][\w-]*|^[A-Z][A-Z0-9_-]*\s+(?:all|tcp|udp|sctp|icmp|\d+)\s+(?:--|-f|!f)\s|^(?:TCP|UDP|SCTP|FWM)\s+\S+:\d+\s|^->\s/;
