import { readFileSync } from 'node:fs';

/** rulec's version, from package.json (two folders up from both src/lint and dist/lint). */
export function rulecVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
