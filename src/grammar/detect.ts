import type { RuleSet } from '../ast/types.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import { FORMATS, findFormat, formatIds, type FormatOptions, type RegisteredFormat } from './formats.js';
import { clip } from './clip.js';
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

  const warn = (line: number, message: string): void => {
    diagnostics.push({ file, line, column: 1, severity: 'warning', code: DetectCode.strayLine, message });
  };

  let current: OpenSection | undefined;
  /** iptables-save only: whether a `*table` is open (then rule lines belong to it). */
  let tableOpen = false;
  let sawContent = false;
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
    const line = text.slice(start, end);
    const trimmed = line.trim();
    if (trimmed === '') {
      if (current) {
        current.lastLine = lineNo;
        current.endOffset = nl;
      }
      continue;
    }
    sawContent = true;

    const claim = forced ?? FORMATS.find((f) => f.format.startsSection(line));
    if (claim === undefined || forced !== undefined) {
      const junk = junkKind(trimmed);
      if (junk !== undefined) {
        warn(lineNo, `${junk} is not part of a dump; skipped`);
        skipped.add(lineNo);
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
      } else {
        belongs = claim === undefined || claim === current.entry;
      }
    }
    if (belongs && current !== undefined) {
      current.lastLine = lineNo;
      current.endOffset = nl;
    } else if (claim !== undefined) {
      current = open(claim, lineNo, start, nl);
      tableOpen = false;
    } else if (current === undefined && trimmed.startsWith('#')) {
      // A comment before any dump: nothing to read, nothing to warn about.
      continue;
    } else {
      warn(lineNo, `line '${clip(trimmed, 50)}' is not part of ${current ? `the ${current.entry.format.id} dump above it` : 'any dump rulec reads'}; skipped`);
      skipped.add(lineNo);
      continue;
    }
    if (current.entry.format.id === 'iptables-save') {
      if (trimmed.startsWith('*')) tableOpen = true;
      else if (trimmed === 'COMMIT') tableOpen = false;
    }
  }

  function open(entry: RegisteredFormat, firstLine: number, startOffset: number, endOffset: number): OpenSection {
    const s: OpenSection = { entry, firstLine, startOffset, lastLine: firstLine, endOffset };
    sections.push(s);
    return s;
  }

  const ruleSets: RuleSet[] = [];
  for (const s of sections) {
    const body = sectionText(text, s, skipped);
    const r = s.entry.parseWith ? s.entry.parseWith(body, file, s.firstLine, options) : s.entry.format.parse(body, file, s.firstLine);
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

/** The text of a section, with skipped lines left empty so that line numbers stay true. */
function sectionText(text: string, s: OpenSection, skipped: ReadonlySet<number>): string {
  let any = false;
  for (const n of skipped) if (n >= s.firstLine && n <= s.lastLine) any = true;
  // The whole text, when the section is all of it: no slice for the parser to read through.
  const whole = s.startOffset === 0 && (s.endOffset === text.length || (s.endOffset === text.length - 1 && text.endsWith('\n')));
  const body = whole ? text : text.slice(s.startOffset, s.endOffset);
  if (!any) return body;
  return body
    .split('\n')
    .map((l, i) => (skipped.has(s.firstLine + i) ? '' : l))
    .join('\n');
}

const TOOL = String.raw`(?:sudo\s+)?(?:\S*\/)?(?:ip6?tables(?:-legacy|-nft)?(?:-save|-restore)?|ipvsadm(?:-save)?|ipset|nft|kubectl|crictl|docker|conntrack)(?:\s|$)`;
const PROMPT = new RegExp(String.raw`^(?:\[[^\]\s]+@[^\]]+\][#$%]|[\w.-]+@[\w.-]+(?::\S*)?\s?[#$%]|[$%>]\s|#\s*${TOOL})`);
const COMMAND = new RegExp(`^${TOOL}`);

/** What a line that is plainly not dump text is, for the warning; undefined otherwise. */
export function junkKind(trimmed: string): string | undefined {
  if (/^(?:-{3,}|={3,}|_{3,}|\*{3,})$/.test(trimmed)) return `separator '${clip(trimmed, 50)}'`;
  if (/^(?:\.{3,}|…+)$/.test(trimmed) || /^\[?\.\.\.(?:\s?\S.*)?\]?$/.test(trimmed)) return `elision '${clip(trimmed, 50)}'`;
  if (/^```/.test(trimmed)) return 'code fence';
  if (PROMPT.test(trimmed)) return `shell prompt '${clip(trimmed, 50)}'`;
  if (COMMAND.test(trimmed)) return `command '${clip(trimmed, 50)}'`;
  return undefined;
}
