import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs a full garbage collection now. A command that reads one large input, keeps a small
 * result of it and then reads another (diff) calls it in between: left to itself, V8 grows the
 * heap for the second input before it collects the first, and the peak holds both.
 */
export function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // Without the flag the collection happens when V8 decides.
  }
}
