import { describeShellLine, shellLineOf } from './shell-lines.js';

/** A line of a pasted manifest that is not part of it, left out with a note. */
export interface PastedLine {
  line: number;
  /** For the note: `shell prompt '$ kubectl get svc web -o yaml'`, `kubectl output`. */
  what: string;
}

export interface ManifestPaste {
  /** The text with every such line made empty: lines and columns stay those of the paste. */
  text: string;
  skipped: PastedLine[];
}

/**
 * Finds what a person pasted around a manifest — shell prompts and their commands, a heredoc's
 * `cat <<EOF | kubectl apply -f -` and `EOF`, Markdown fences, `kubectl get` tables, kubectl's
 * `service/web created` — and leaves it out. Only lines that start at column 1 are looked at,
 * and only shapes YAML never has there, so a manifest that is not a paste comes back unchanged
 * (the same string).
 */
export function manifestOfPaste(text: string): ManifestPaste {
  const skipped: PastedLine[] = [];
  /** Start and end offsets of each skipped line's text (without its line end). */
  const cut: number[] = [];
  const skip = (line: number, from: number, to: number, what: string): void => {
    skipped.push({ line, what });
    cut.push(from, to);
  };
  let heredocEnd: string | undefined;
  let inTable = false;
  let sawYaml = false;
  let lineNo = 0;
  // Where indented cuts (`  ...`) start, found in one search of the text: usually nowhere.
  let indentedCuts: Set<number> | undefined;
  for (const m of text.matchAll(CUT_AT_LINE_END)) (indentedCuts ??= new Set()).add(text.lastIndexOf('\n', m.index - 1) + 1);
  for (let pos = 0; pos <= text.length; ) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    lineNo++;
    const from = pos;
    pos = nl + 1;
    const c = text.charCodeAt(from);
    // Indented lines, blank lines and comments belong to the YAML (a blank line ends a table);
    // an indented `...` is the author's cut of what a mapping held.
    if (from === nl || c === 32 || c === 9 || c === 13) {
      // Only an indented cut (found beforehand, below) or, in a table, a blank line needs the
      // line's text: a deeply indented JSON or YAML document is not read character by character.
      if (inTable || indentedCuts?.has(from) === true) {
        const t = text.slice(from, nl).trim();
        if (inTable && t === '') inTable = false;
        if (t === '...' || t === '…' || t === '....') skip(lineNo, from, nl - (text.charCodeAt(nl - 1) === 13 ? 1 : 0), `elision '${t}'`);
      }
      if (nl === text.length) break;
      continue;
    }
    let to = nl;
    if (text.charCodeAt(to - 1) === 13) to--;
    const trimmed = text.slice(from, to).trimEnd();
    if (nl === text.length) pos = nl + 1;
    const yaml = looksLikeYaml(trimmed);
    if (heredocEnd !== undefined && trimmed === heredocEnd) {
      skip(lineNo, from, to, `the end of a heredoc '${heredocEnd}'`);
      heredocEnd = undefined;
      continue;
    }
    if (inTable && !looksLikeYaml(trimmed)) {
      skip(lineNo, from, to, 'kubectl output');
      continue;
    }
    inTable = false;
    // A key, a list item or a flow collection: YAML, nothing to look at.
    if (yaml && c !== 91) {
      sawYaml = true;
      continue;
    }
    const shell = shellLineOf(trimmed);
    if (shell === undefined && yaml) {
      sawYaml = true;
      continue;
    }
    if (shell !== undefined) {
      // `---` and `...` are YAML's own document markers.
      if (/^---(?:\s|$)/.test(trimmed) || trimmed === '...') continue;
      skip(lineNo, from, to, describeShellLine(shell, trimmed));
      const end = heredocDelimiter(shell.command ?? '');
      if (end !== undefined) heredocEnd = end;
      continue;
    }
    if (c === 35) continue;
    const heredoc = heredocDelimiter(trimmed);
    if (heredoc !== undefined && /^(?:cat|tee|kubectl|oc)\b/.test(trimmed)) {
      skip(lineNo, from, to, `command '${trimmed.slice(0, 50)}'`);
      heredocEnd = heredoc;
      continue;
    }
    if (KUBECTL_TABLE_HEADER.test(trimmed)) {
      skip(lineNo, from, to, 'kubectl output');
      inTable = true;
      continue;
    }
    if (KUBECTL_MESSAGE.test(trimmed)) {
      skip(lineNo, from, to, 'kubectl output');
      continue;
    }
    // Words before the manifest starts (a title, a sentence of the author's) are not YAML.
    if (!sawYaml && !yaml && startsYamlLater(text, pos)) skip(lineNo, from, to, `text '${trimmed.slice(0, 40)}' before the manifest`);
  }
  if (skipped.length === 0) return { text, skipped };
  const parts: string[] = [];
  let at = 0;
  for (let k = 0; k < cut.length; k += 2) {
    parts.push(text.slice(at, cut[k]));
    at = cut[k + 1] as number;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), skipped };
}

/** Whether a `key:` line at column 1 follows within the next few lines. */
function startsYamlLater(text: string, from: number): boolean {
  let pos = from;
  for (let n = 0; n < 5 && pos < text.length; n++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl).trimEnd();
    if (/^(?:apiVersion|kind|metadata|items|spec)\s*:/.test(line) || /^---(?:\s|$)/.test(line)) return true;
    pos = nl + 1;
  }
  return false;
}

/** The word that ends a heredoc opened on this command line (`<<EOF`, `<<-'END'`, `<< "EOF"`). */
function heredocDelimiter(command: string): string | undefined {
  const m = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/.exec(command);
  return m ? (m[2] as string) : undefined;
}

/** A YAML line at column 1: a key, a list item, a document marker, a flow collection, a comment. */
function looksLikeYaml(trimmed: string): boolean {
  return /^(?:[\w./"'-]+\s*:(?:\s|$)|- |-$|---(?:\s|$)|\.\.\.$|[{[]|#)/.test(trimmed);
}

/** `NAME  TYPE  CLUSTER-IP …`, `NAMESPACE  NAME  READY …`, `NAME  ENDPOINTS  AGE`. */
const KUBECTL_TABLE_HEADER = /^(?:NAMESPACE\s+)?NAME(?:\s{2,}[A-Z][A-Z0-9()/_-]*(?: [A-Z][A-Z0-9()/_-]*)?)+$/;

/** `service/web created`, `deployment.apps/web configured`, `Error from server (NotFound): …`, `Warning: …`. */
const KUBECTL_MESSAGE =
  /^(?:[a-z0-9.-]+\/[\w.-]+ (?:created|configured|unchanged|deleted|patched|replaced|labeled|annotated|exposed|scaled|edited|serverside-applied|restarted|rolled back)(?: \([^)]*\))?|Error from server\b.*|error: .*|Warning: .*|No resources found.*)$/;

/**
 * What ends an author's cut (`...`, `....`, `…`) at the end of a line: where the lines that may
 * be indented cuts are, checked line by line afterwards. Searching the dots is much faster than
 * matching every line's indentation.
 */
const CUT_AT_LINE_END = /(?:\.{3,4}|…)\s*$/gm;
