import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { escapeControls } from '../../display-text.js';
import { EXIT, type CliContext } from '../context.js';
import { readPlaygroundFiles, type StaticFile } from '../playground-files.js';

const HELP_AFTER = `
The playground is a web page that runs rulec's own library in the browser: paste manifests or
a dump (or drop a file, or pick an example) and see the compiled rules, the lint findings, every
rule in plain words (English or Chinese), a packet trace and the chain graph. Nothing leaves
the page: it makes no request but for its own files.

A link can carry its input: #input= and the base64url of the text, or #input=z: and the
base64url of its raw DEFLATE; the page's "Share link" button makes one.

Examples:
  $ rulec playground                      # http://127.0.0.1:8765/
  $ rulec playground --port 9000 --open
  $ rulec playground --out site/          # the static files, to host anywhere

Exit codes: 0 stopped or written, 2 invalid usage (a bad --port, a port in use, an unwritable folder).
`;

interface PlaygroundFlags {
  port: string;
  open?: boolean;
  out?: string;
}

export const DEFAULT_PORT = 8765;

/** Security headers: the page may load nothing but its own files. */
const HEADERS = {
  'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
  'Referrer-Policy': 'no-referrer',
};

export function registerPlayground(program: Command, ctx: CliContext): void {
  program
    .command('playground')
    .summary('serve the playground web page on 127.0.0.1, or write its static files')
    .description('Serves the playground, a web page that runs rulec in the browser, on 127.0.0.1 (or writes its files with --out).')
    .option('--port <n>', `port to listen on, 0 for any free one (default ${DEFAULT_PORT})`, String(DEFAULT_PORT))
    .option('--open', 'open the page in the default browser')
    .option('--out <dir>', 'write the static files to DIR instead of serving them')
    .addHelpText('after', HELP_AFTER)
    .action(async (opts: PlaygroundFlags) => {
      ctx.exitCode = await runPlayground(ctx, opts);
    });
}

async function runPlayground(ctx: CliContext, opts: PlaygroundFlags): Promise<number> {
  const usage = (message: string) => {
    ctx.stderr(`rulec playground: ${message}\n`);
    return EXIT.usage;
  };
  const files = readPlaygroundFiles();
  if (!files) return usage('the playground is not built: run npm run build');
  if (opts.out !== undefined) {
    const dir = resolve(ctx.cwd, opts.out);
    try {
      mkdirSync(dir, { recursive: true });
      for (const f of files) writeFileSync(join(dir, f.name), f.body);
    } catch (err) {
      return usage(`cannot write ${escapeControls(opts.out)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    ctx.stdout(`rulec playground: wrote ${files.map((f) => f.name).join(', ')} to ${escapeControls(dir)}\n`);
    return EXIT.ok;
  }
  if (!/^\d{1,5}$/.test(opts.port) || Number(opts.port) > 65535) return usage(`--port ${escapeControls(opts.port.slice(0, 40))}: expected a port number from 0 to 65535`);
  const port = Number(opts.port);
  const server = serve(files);
  const listening = await new Promise<NodeJS.ErrnoException | null>((done) => {
    server.once('error', (err: NodeJS.ErrnoException) => done(err));
    server.listen(port, '127.0.0.1', () => done(null));
  });
  if (listening) {
    const why = listening.code === 'EADDRINUSE' ? 'is in use (pick another with --port)' : listening.code === 'EACCES' ? 'needs privileges (pick one above 1023 with --port)' : `cannot be listened on: ${listening.code ?? listening.message}`;
    return usage(`port ${port} ${why}`);
  }
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`;
  ctx.stdout(`rulec playground: serving ${url} (Ctrl-C stops)\n`);
  if (opts.open) openBrowser(url, ctx);
  await new Promise<void>((done) => {
    server.once('close', () => done());
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
  });
  return EXIT.ok;
}

/** A server of the playground's files and nothing else: `/` is the page. */
function serve(files: readonly StaticFile[]): Server {
  const byPath = new Map(files.map((f) => [`/${f.name}`, f]));
  return createServer((req, res) => {
    const path = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
    const file = byPath.get(path === '/' ? '/index.html' : path);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...HEADERS }).end();
      return;
    }
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...HEADERS }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length, ...HEADERS });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });
}

function openBrowser(url: string, ctx: CliContext): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => ctx.stderr(`rulec playground: cannot open a browser (${command}); open ${url}\n`));
    child.unref();
  } catch {
    ctx.stderr(`rulec playground: cannot open a browser; open ${url}\n`);
  }
}
