import { UserError } from './errors';
import { Io, processIo } from './io';
import { SecretScrubber } from './redact';

/** A subcommand: takes its own arguments, returns the process exit code. */
export type Command = (args: string[], io: Io) => Promise<number>;

interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

// Commands are loaded lazily so `provider` does not pay for loading Pact, and so on. They are
// required, not import()ed: the CLI runs the sources through tsx's CommonJS hook, which resolves
// require() of .ts files but leaves import() to Node's ESM resolver.
/* eslint-disable @typescript-eslint/no-require-imports */
const commands: Record<string, CommandEntry> = {
  run: {
    summary: 'run the conformance checks (embedded provider unless LATITUDE_API_BASE_URL is set)',
    load: async () => (require('./commands/run') as typeof import('./commands/run')).run,
  },
  validate: {
    summary: 'check recorded traffic (HAR or NDJSON) against the spec',
    load: async () =>
      (require('./commands/validate') as typeof import('./commands/validate')).validate,
  },
  provider: {
    summary: 'serve the embedded reference provider',
    load: async () =>
      (require('./commands/provider') as typeof import('./commands/provider')).provider,
  },
  contracts: {
    summary: 'contracts check: check pact files against the spec',
    load: async () =>
      (require('./commands/contracts') as typeof import('./commands/contracts')).contracts,
  },
  pact: {
    summary: 'pact publish | can-i-deploy | record-deployment | verify: broker workflow',
    load: async () => (require('./commands/pact') as typeof import('./commands/pact')).pact,
  },
  sdk: {
    summary: 'verify the official SDKs against the contract and the reference provider',
    load: async () => (require('./commands/sdk') as typeof import('./commands/sdk')).sdk,
  },
  bench: {
    summary: 'benchmarks against peers measured in the same run',
    load: async () => (require('./commands/bench') as typeof import('./commands/bench')).bench,
  },
};

function usage(): string {
  const rows = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`);
  return ['usage: latitude-conformance <command> [options]', '', 'commands:', ...rows].join('\n');
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(`error: unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  // Anything printed on the way out is scrubbed of the configured credentials.
  const scrubber = new SecretScrubber([
    io.env.LATITUDE_API_TOKEN,
    io.env.PACT_BROKER_TOKEN,
    io.env.PACT_BROKER_PASSWORD,
  ]);
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr(scrubber.scrub(`error: ${err.message}`));
      return err.exitCode;
    }
    const e = err as Error;
    const detail = io.env.LATITUDE_CONFORMANCE_DEBUG ? `\n${e.stack ?? ''}` : '';
    io.stderr(scrubber.scrub(`internal error: ${e?.message ?? String(err)}${detail}`));
    return 2;
  }
}
