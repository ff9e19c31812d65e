import { renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import type { CliContext } from './context.js';

/** Writes a file atomically: a temporary file beside it, then a rename. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to remove
    }
    throw err;
  }
}

/** Prints diagnostics to stderr (notes only when verbose). */
export function reportDiagnostics(ctx: CliContext, diagnostics: Diagnostic[], verbose = false): void {
  for (const d of sortDiagnostics([...diagnostics])) {
    if (d.severity === 'note' && !verbose) continue;
    ctx.stderr(`${formatDiagnostic(d)}\n`);
  }
}

/** Writes output to `-o FILE` (atomically) or stdout; returns false with a message on failure. */
export function emit(ctx: CliContext, text: string | Uint8Array, outFile: string | undefined): boolean {
  if (!outFile || outFile === '-') {
    ctx.stdout(text);
    return true;
  }
  try {
    writeFileAtomic(outFile, text);
    return true;
  } catch (err) {
    ctx.stderr(`rulec: cannot write ${outFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return false;
  }
}
