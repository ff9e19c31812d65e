import { statSync } from 'node:fs';
import { MANIFEST_FILE, walk } from '../../model/read-documents.js';
import type { Diagnostic } from '../../diagnostics.js';
import { LINT_CODES } from '../codes.js';
import { InputTooLargeError, readTextFile } from '../../read-text-file.js';

/** Files a directory argument contributes: manifests and dumps by their usual extensions. */
export const MANIFEST_EXTENSIONS = MANIFEST_FILE;
export const DUMP_EXTENSIONS = /\.(iptables|ip6tables|rules|save|dump|ipvs|ipvsadm|ipset|nft)$/i;

export interface ReadInput {
  file: string;
  text: string;
}

/**
 * The files of a folder (links followed, see `walk`); links that cannot be followed, and a
 * folder with no input in it, are errors.
 */
function walkFolder(dir: string, accept: RegExp, diagnostics: Diagnostic[]): string[] {
  const found: Diagnostic[] = [];
  const files = walk(dir, accept, found);
  for (const d of found) diagnostics.push({ ...d, code: LINT_CODES.input });
  if (files.length === 0 && found.length === 0) {
    diagnostics.push({ file: dir, line: 1, column: 1, severity: 'error', code: LINT_CODES.input, message: 'no input file in this folder' });
  }
  return files;
}

/**
 * Reads the paths given on the command line: files as given, directories recursively (files
 * whose extension `accept` takes, sorted, hidden entries and node_modules skipped), `-` for
 * standard input (named `<stdin>`). Unreadable paths become diagnostics.
 */
export function readInputs(paths: readonly string[], accept: RegExp, readStdin: () => string): { inputs: ReadInput[]; diagnostics: Diagnostic[] } {
  const inputs: ReadInput[] = [];
  const diagnostics: Diagnostic[] = [];
  const fail = (file: string, err: unknown) =>
    diagnostics.push(
      err instanceof InputTooLargeError
        ? err.diagnostic(file)
        : {
            file,
            line: 1,
            column: 1,
            severity: 'error',
            code: LINT_CODES.input,
            message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
          },
    );
  for (const p of paths) {
    if (p === '-') {
      inputs.push({ file: '<stdin>', text: readStdin() });
      continue;
    }
    let files: string[];
    try {
      files = statSync(p).isDirectory() ? walkFolder(p, accept, diagnostics) : [p];
    } catch (err) {
      fail(p, err);
      continue;
    }
    for (const f of files) {
      try {
        inputs.push({ file: f, text: readTextFile(f) });
      } catch (err) {
        fail(f, err);
      }
    }
  }
  return { inputs, diagnostics };
}
