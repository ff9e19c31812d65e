import type { LineCounter, Node as YamlNode, parseDocument } from 'yaml';
import { PathLocator } from './locate-path.js';
import { yamlPackage as yaml } from './yaml-package.js';

/**
 * Documents up to this size whose text holds a form the path locator does not read are parsed
 * with the `yaml` package instead; larger ones take the locator's nearest node, since that
 * parser needs time and memory many times the text's size.
 */
const YAML_FALLBACK_LIMIT = 1 << 20;

/**
 * One YAML or JSON document of an input file, with what is needed to point a diagnostic at any
 * field of it. Documents are loaded with a fast loader; a position inside a document is found
 * only when asked for, by walking that document's text along the path (`locate-path.ts`).
 */
export class SourceDocument {
  private locator: PathLocator | null = null;
  private positions: { doc: ReturnType<typeof parseDocument>; lines: LineCounter } | null = null;
  /** Offsets at which the text's lines start, found on the first position asked for. */
  private lineStarts: Uint32Array | null = null;

  constructor(
    readonly file: string,
    /** The document's own text. */
    readonly text: string,
    /** 0-based line of the file on which `text` starts. */
    readonly lineOffset: number,
    /** 0-based column of the file at which `text` starts (non-zero only for JSON documents). */
    readonly columnOffset = 0,
  ) {}

  /** Line and column (1-based) of the value at `path`, or of its nearest existing ancestor. */
  locate(path: readonly (string | number)[]): { line: number; column: number } {
    this.locator ??= new PathLocator(this.text);
    const found = this.locator.locate(path);
    if (!found.sure && this.text.length <= YAML_FALLBACK_LIMIT) return this.locateWithYaml(path);
    if (found.offset < 0) return { line: this.lineOffset + 1, column: 1 };
    return this.position(found.offset);
  }

  private position(offset: number): { line: number; column: number } {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    // The last line start at or before `offset`.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = lo + 1;
    const col = offset - (starts[lo] as number) + 1;
    return { line: line + this.lineOffset, column: line === 1 ? col + this.columnOffset : col };
  }

  /** The position as the `yaml` package's source ranges give it, for forms the locator does not read. */
  private locateWithYaml(path: readonly (string | number)[]): { line: number; column: number } {
    if (!this.positions) {
      const { LineCounter, parseDocument } = yaml();
      const lines = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter: lines, keepSourceTokens: false, uniqueKeys: false });
      this.positions = { doc, lines };
    }
    const { doc, lines } = this.positions;
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (yaml().isNode(node) && (node as YamlNode).range) {
        const offset = (node as YamlNode).range?.[0] ?? 0;
        const pos = lines.linePos(offset);
        return {
          line: pos.line + this.lineOffset,
          column: pos.line === 1 ? pos.col + this.columnOffset : pos.col,
        };
      }
    }
    return { line: this.lineOffset + 1, column: 1 };
  }
}

function lineStartsOf(text: string): Uint32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Uint32Array(count);
  let k = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}

/** Where an object came from: its document and the path of the object inside it. */
export interface ObjectSource {
  doc: SourceDocument;
  /** Path of the object in its document (`[]`, or `['items', 3]` for a List item). */
  path: (string | number)[];
}

export function locateIn(src: ObjectSource, path: readonly (string | number)[]): {
  file: string;
  line: number;
  column: number;
} {
  const pos = src.doc.locate([...src.path, ...path]);
  return { file: src.doc.file, ...pos };
}
