import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);

export interface VerifyProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `latitude-conformance pact verify` in its own process, as a provider team's CI runs it, with
 * nothing but the given variables in its environment (Pact's native core prints its report to the
 * process's stdout, so a child is also how a test reads it).
 */
export async function pactVerifyProcess(
  env: Record<string, string | undefined>,
): Promise<VerifyProcessResult> {
  return run(process.execPath, ['bin/latitude-conformance.js', 'pact', 'verify'], {
    cwd: root,
    timeout: 90_000,
    // Debug-level runs print a lot; the whole of it is what the tests search.
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH, PACT_DO_NOT_TRACK: 'true', ...env },
  }).then(
    (ok) => ({ ...ok, code: 0 }),
    (err: VerifyProcessResult) => err,
  );
}
