import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TargetError } from '../errors';
import { pactBinaryPath } from '../pact/broker-cli';

/**
 * Serves the Pact contract with the real `pact-stub-server` (from @pact-foundation/pact-cli) on a
 * free port. The stub answers a request with the interaction whose method and path match (it logs
 * but does not enforce header and body differences) and answers 404 with an empty body when none
 * does: a request the contract does not describe fails. Header differences are judged separately
 * against the contract (contract.ts).
 *
 * pact stub 0.7.1 has no bind-address option: it listens on all interfaces, on a port the system
 * picks, for the length of one run; only the recording proxy on 127.0.0.1 sends requests to it.
 */

export interface RunningStub {
  url: string;
  close(): Promise<void>;
}

export async function startStub(
  contractsDir: string,
  env: NodeJS.ProcessEnv,
): Promise<RunningStub> {
  // The native binary, not the node shim in node_modules/.bin, which does not pass signals on:
  // stopping the shim would leave the stub running.
  const bin = pactBinaryPath();
  if (!existsSync(bin)) {
    throw new TargetError(`the pact CLI (pact stub) is not installed at ${bin}: run npm ci.`);
  }
  // -p 0: the system picks the port; the stub logs it and we read it back.
  const child = spawn(bin, ['stub', '-d', contractsDir, '-p', '0', '-l', 'info'], {
    env: { ...env, PACT_DO_NOT_TRACK: 'true', NO_COLOR: '1', RUST_LOG_STYLE: 'never' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new TargetError(`pact-stub-server did not start within 20s: ${output.slice(-500)}`));
    }, 20_000);
    const onData = (c: Buffer) => {
      output += c.toString('utf8');
      // NO_COLOR keeps the log plain; the port is never inside a colour code either way.
      const m = /Server started on port (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new TargetError(`pact-stub-server exited (${code}): ${output.slice(-500)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** pact-stub-server's answer to a request no interaction describes. */
export function isUnmatched(status: number | undefined, contentType?: string, body?: unknown) {
  return status === 404 && !contentType && (body === undefined || body === '');
}
