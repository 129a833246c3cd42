import path from 'node:path';
import { main } from '../../src/cli';
import { bufferIo } from '../../src/io';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/**
 * A broker token no real system issues, so finding it anywhere in the output can only mean a leak.
 * It is long and not fake-looking on purpose: the scrubber must remove it because it is the
 * configured secret, not because of its shape.
 */
export const CANARY_TOKEN = 'canary7Qm2xVb9Lp4Rt8Wz3Ny6Hk1Jd5Fs0Gc';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `latitude-conformance <argv>` in-process with exactly this environment. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  cwd = REPO_ROOT,
): Promise<CliResult> {
  const io = bufferIo({ PATH: process.env.PATH, PACT_BROKER_HTTP_RETRIES: '0', ...env }, cwd);
  const code = await main(argv, io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}
