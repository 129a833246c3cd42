/* eslint-disable @typescript-eslint/no-require-imports -- see src/cli.ts: tsx's CJS hook resolves require() only */
import { UsageError } from '../errors';
import type { Io } from '../io';

const usage =
  'usage: latitude-conformance pact <verify|publish|can-i-deploy|record-deployment> [options]';

/** The Pact workflow: provider verification (src/pact/verify.ts) and the broker (src/pact/broker.ts). */
export async function pact(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'verify':
      return (require('../pact/verify') as typeof import('../pact/verify')).verifyCommand(rest, io);
    case 'publish':
    case 'can-i-deploy':
    case 'record-deployment':
      return (require('../pact/broker') as typeof import('../pact/broker')).brokerCommand(
        sub,
        rest,
        io,
      );
    default:
      throw new UsageError(sub ? `unknown pact command "${sub}". ${usage}` : usage);
  }
}
