/// <reference lib="dom" />
import './no-code-from-text.js';
import { startPage } from './page.js';
import { serveEngine } from './worker.js';

/**
 * The playground's one script: the page, or, loaded as a module worker by the page, the engine
 * that reads large inputs.
 */
// The page allows no code made from text (its Content-Security-Policy): zod's schemas are not
// compiled (no-code-from-text.ts, first), rulec's own schema predicates are loops
// (model/schemas/code-from-text.browser.ts).
if (typeof document === 'undefined') serveEngine(globalThis as unknown as Parameters<typeof serveEngine>[0]);
else startPage(import.meta.url);
