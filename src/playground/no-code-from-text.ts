import { config } from 'zod';

/**
 * The page allows no code made from text (its Content-Security-Policy), and trying is reported
 * there as a violation: zod validates without compiling its schemas. Imported first by main.ts,
 * so that this holds before any schema is made (zod looks when a schema is made).
 */
config({ jitless: true });
