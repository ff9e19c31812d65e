/**
 * Writes the input of one fuzz case to standard output, without running it:
 * `--target NAME --seed S --case K` (bundled and run by `npm run fuzz -- --print …`).
 */
import { caseInput } from './fuzz.js';
import { fuzzTargets } from './targets.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const target = fuzzTargets().find((t) => t.name === flag('target'));
if (target === undefined) {
  process.stderr.write('print-case: --target names no target\n');
  process.exit(2);
}
process.stdout.write(caseInput(target, Number(flag('seed') ?? 1), Number(flag('case') ?? 0)));
