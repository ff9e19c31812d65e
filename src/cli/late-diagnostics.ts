import { hasErrors, type Diagnostic } from '../diagnostics.js';
import type { DeferredReading } from '../grammar/iptables-save/deferred-rules.js';
import { EXIT, type CliContext } from './context.js';
import { reportDiagnostics } from './output.js';

/**
 * The diagnostics of dump lines a command read only when it used them (`LoadOptions.deferRules`):
 * the command checks them after its work and before it prints, so that a line it read and could
 * not read still gives exit 2 and no output.
 */
export class LateDiagnostics implements DeferredReading {
  private readonly list: Diagnostic[] = [];

  report(diagnostic: Diagnostic): void {
    this.list.push(diagnostic);
  }

  /** Reports what came in; the exit code to return when any of it is an error. */
  settle(ctx: CliContext): number | undefined {
    if (this.list.length === 0) return undefined;
    reportDiagnostics(ctx, this.list);
    const errors = hasErrors(this.list);
    this.list.length = 0;
    return errors ? EXIT.usage : undefined;
  }
}
