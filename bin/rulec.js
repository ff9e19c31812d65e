#!/usr/bin/env node
// The bundled program (scripts/bundle.mjs); dist/cli/main.js is the same code, unbundled.
// Large inputs run in a child process with huge pages (dist/cli/large-pages.js), decided before
// the program is loaded.
import { runWithLargePages } from '../dist/cli/large-pages.js';

// A reader that stops early (`rulec … | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const childCode = await runWithLargePages(process.argv);
if (childCode !== undefined) {
  process.exitCode = childCode;
} else {
  const { main, watchParent } = await import('../dist/cli-bundle/main.js');
  // In the huge-page child: end with the parent.
  watchParent(process.env);
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`rulec: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 3;
    },
  );
}
