/* eslint-disable @typescript-eslint/no-require-imports -- see src/cli.ts: tsx's CJS hook resolves require() only */
import { parseCommandArgs } from '../args';
import { UsageError } from '../errors';
import type { Io } from '../io';

/** A benchmark suite prints its own lines, each with the ratio against the peer it measures. */
export type BenchSuite = (io: Io) => Promise<void>;

// Each suite lives in bench/<name>.ts and exports `suite`.
const suites: Record<string, () => Promise<BenchSuite>> = {
  engine: async () => (require('../../bench/engine') as typeof import('../../bench/engine')).suite,
  conformance: async () =>
    (require('../../bench/conformance') as typeof import('../../bench/conformance')).suite,
};

export async function bench(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(args, { only: { type: 'string', multiple: true } });
  const names = values.only ?? Object.keys(suites);
  for (const name of names) {
    if (!suites[name]) {
      throw new UsageError(
        `unknown bench suite "${name}"; known: ${Object.keys(suites).join(', ')}`,
      );
    }
  }
  for (const name of names) {
    io.stdout(`== bench: ${name}`);
    await (
      await suites[name]()
    )(io);
  }
  return 0;
}
