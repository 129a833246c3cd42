import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli';
import { bufferIo } from '../../src/io';
import type { RunReport } from '../../src/conformance/runner';

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lc-${tag}-`));
}

/** Runs `latitude-conformance run` in-process, as a user would, and reads its JSON report. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{
  code: number;
  out: string[];
  err: string[];
  report: RunReport | undefined;
  dir: string;
}> {
  const dir = tempDir('run');
  const io = bufferIo(env);
  const code = await main(['run', '--report-dir', dir, ...args], io);
  const file = path.join(dir, 'conformance.json');
  const report = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport)
    : undefined;
  return { code, out: io.out, err: io.err, report, dir };
}

export function failedCodes(report: RunReport | undefined): string[] {
  return [
    ...new Set((report?.checks ?? []).filter((c) => c.status === 'failed').map((c) => c.code)),
  ];
}

/**
 * A proxy in front of a provider that lets a test break the transport: `intercept` may answer
 * or drop a request itself (return true), or pass; `delayMs` holds an upstream answer.
 */
export async function faultyProxy(
  target: string,
  opts: {
    intercept?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
    delayMs?: (req: http.IncomingMessage) => number;
  },
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (opts.intercept?.(req, res)) return;
    const wait = opts.delayMs?.(req) ?? 0;
    const up = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      (r) => {
        setTimeout(() => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        }, wait);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
