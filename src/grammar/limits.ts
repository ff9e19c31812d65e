import type { Diagnostic } from '../diagnostics.js';

/**
 * No dump line is longer than this: the longest rules kube-proxy, Calico or Docker write are a
 * few hundred characters. A longer line is not read at all (reading it could take seconds and
 * gigabytes in a grammar), in every dump format; it is reported where it is and skipped.
 */
export const MAX_LINE_LENGTH = 65_536;

/** The code of a line over the limit. */
export const LONG_LINE_CODE = 'RC205';

/**
 * A dump with this many lines that cannot be read is not a dump with a few faults: reading
 * stops there, so that megabytes of text that is not a dump cost no more than a page of it.
 */
export const MAX_ERROR_LINES = 1000;

/** The code of a dump whose reading stopped at `MAX_ERROR_LINES`. */
export const TOO_MANY_ERRORS_CODE = 'RC217';

export function tooManyErrorsDiagnostic(file: string, line: number): Diagnostic {
  return {
    file,
    line,
    column: 1,
    severity: 'error',
    code: TOO_MANY_ERRORS_CODE,
    message: `${MAX_ERROR_LINES} lines could not be read; the rest of the dump from here is not read`,
  };
}

export function longLineDiagnostic(file: string, line: number, length: number): Diagnostic {
  return {
    file,
    line,
    column: 1,
    severity: 'error',
    code: LONG_LINE_CODE,
    message: `line is ${length} characters long, longer than any dump line can be (limit ${MAX_LINE_LENGTH}); skipped`,
  };
}

/**
 * Whether some line may be over the limit, found in steps of a whole limit (the last line feed
 * within the next `MAX_LINE_LENGTH` characters), not line by line: a large dump of ordinary
 * lines costs a few hundred look-ups.
 */
function mayHaveLongLine(text: string): boolean {
  for (let p = 0; p + MAX_LINE_LENGTH < text.length; ) {
    const nl = text.lastIndexOf('\n', p + MAX_LINE_LENGTH);
    if (nl < p) return true;
    p = nl + 1;
  }
  return false;
}

/**
 * The text with every line over the limit made empty (the other lines, and so every position,
 * stay as they are), and a diagnostic for each. A text with no such line comes back as it is.
 */
export function withoutLongLines(text: string, file: string, firstLine = 1): { text: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (!mayHaveLongLine(text)) return { text, diagnostics };
  const pieces: string[] = [];
  let pos = 0;
  let kept = 0;
  let line = firstLine - 1;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    line++;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (end - pos > MAX_LINE_LENGTH) {
      diagnostics.push(longLineDiagnostic(file, line, end - pos));
      pieces.push(text.slice(kept, pos));
      kept = end;
    }
    pos = nl + 1;
  }
  if (diagnostics.length === 0) return { text, diagnostics };
  pieces.push(text.slice(kept));
  return { text: pieces.join(''), diagnostics };
}

/**
 * Counts the lines of a dump that gave an error, from the diagnostics the reader adds: after
 * each line, `goOn` says whether to read the next one, and adds the diagnostic that says the
 * rest is not read once `MAX_ERROR_LINES` lines gave errors.
 */
export class ErrorLineLimit {
  private errorLines = 0;
  private seen = 0;

  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly file: string,
  ) {}

  /** Call after reading line `line`: false when reading is to stop there. */
  goOn(line: number): boolean {
    let error = false;
    for (; this.seen < this.diagnostics.length; this.seen++) if (this.diagnostics[this.seen]?.severity === 'error') error = true;
    if (!error || ++this.errorLines < MAX_ERROR_LINES) return true;
    this.diagnostics.push(tooManyErrorsDiagnostic(this.file, line + 1));
    this.seen = this.diagnostics.length;
    return false;
  }
}
