/// <reference lib="dom" />
import { config as zodConfig } from 'zod';
import { startPage } from './page.js';
import { serveEngine } from './worker.js';

/**
 * The playground's one script: the page, or, loaded as a module worker by the page, the engine
 * that reads large inputs.
 */
// The page allows no code made from text (its Content-Security-Policy): zod validates without
// compiling its schemas.
zodConfig({ jitless: true });
if (typeof document === 'undefined') serveEngine(globalThis as unknown as Parameters<typeof serveEngine>[0]);
else startPage(import.meta.url);
