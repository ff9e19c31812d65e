import { createRequire } from 'node:module';
import type { LineCounter, Node as YamlNode, parseDocument } from 'yaml';

/**
 * The `yaml` package, loaded the first time a position is asked for: most runs never ask (they
 * have nothing to report), and loading it costs more than compiling a small cluster.
 */
type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
function yaml(): YamlModule {
  yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlModule;
}

/**
 * One YAML or JSON document of an input file, with what is needed to point a diagnostic at any
 * field of it. Documents are loaded with a fast loader; the position-keeping `yaml` parser runs
 * only when a position inside a document is asked for, and only on that document's text.
 */
export class SourceDocument {
  private positions: { doc: ReturnType<typeof parseDocument>; lines: LineCounter } | null = null;

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
