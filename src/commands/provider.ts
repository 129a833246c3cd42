import { intFlag, parseCommandArgs } from '../args';
import { UsageError } from '../errors';
import type { Io } from '../io';
import {
  DEFAULT_RATE_LIMIT,
  FAULT_NAMES,
  FaultName,
  isFaultName,
  startProvider,
} from '../provider';

const usage = `usage: latitude-conformance provider [options]

Serves the embedded reference provider on 127.0.0.1 until SIGINT or SIGTERM.

options:
  --port N                 port to listen on (default 0: any free port; the URL is printed)
  --token T                root token (default: generated and printed once on stdout)
  --fault NAME             inject a fault from the catalogue; repeat for several
  --rate-limit on|off      per-key rate limits (default on)
  --reads-per-minute N     GET limit per key (default ${DEFAULT_RATE_LIMIT.readsPerMinute})
  --writes-per-minute N    POST/PUT/PATCH/DELETE limit per key (default ${DEFAULT_RATE_LIMIT.writesPerMinute})
  --slow-ms N              how long the slow-list fault holds the list (default 15000)
  --provider-states        serve POST /_pact/provider-states for pact verify
  --trust-forwarded-for    take the client address from X-Forwarded-For (testing allowed_ips only)

faults: ${FAULT_NAMES.join(', ')}`;

/** Resolves with the signal's name on the first SIGINT or SIGTERM. */
function untilSignalled(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function provider(args: string[], io: Io): Promise<number> {
  return serveProvider(args, io, untilSignalled);
}

/** The command with its stop condition injected, so it can be driven without signals. */
export async function serveProvider(
  args: string[],
  io: Io,
  waitForStop: () => Promise<string>,
): Promise<number> {
  const { values } = parseCommandArgs(args, {
    port: { type: 'string' },
    token: { type: 'string' },
    fault: { type: 'string', multiple: true },
    'rate-limit': { type: 'string' },
    'reads-per-minute': { type: 'string' },
    'writes-per-minute': { type: 'string' },
    'slow-ms': { type: 'string' },
    'provider-states': { type: 'boolean' },
    'trust-forwarded-for': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(usage);
    return 0;
  }

  const port = intFlag('port', values.port, 0);
  if (port > 65535) throw new UsageError(`--port takes a port number up to 65535, got ${port}.`);

  const token = values.token;
  if (token !== undefined && (token.length === 0 || /\s/.test(token))) {
    throw new UsageError('--token takes a non-empty token without spaces.');
  }

  const faults: FaultName[] = [];
  for (const name of values.fault ?? []) {
    if (!isFaultName(name)) {
      throw new UsageError(`unknown fault "${name}". Valid faults: ${FAULT_NAMES.join(', ')}.`);
    }
    if (!faults.includes(name)) faults.push(name);
  }

  const rateLimitFlag = values['rate-limit'] ?? 'on';
  if (rateLimitFlag !== 'on' && rateLimitFlag !== 'off') {
    throw new UsageError(`--rate-limit takes on or off, got "${rateLimitFlag}".`);
  }

  const running = await startProvider({
    port,
    rootToken: token,
    faults,
    rateLimit: {
      enabled: rateLimitFlag === 'on',
      readsPerMinute: intFlag(
        'reads-per-minute',
        values['reads-per-minute'],
        DEFAULT_RATE_LIMIT.readsPerMinute,
        1,
      ),
      writesPerMinute: intFlag(
        'writes-per-minute',
        values['writes-per-minute'],
        DEFAULT_RATE_LIMIT.writesPerMinute,
        1,
      ),
    },
    slowMs: values['slow-ms'] === undefined ? undefined : intFlag('slow-ms', values['slow-ms'], 0),
    stateChangeEndpoint: values['provider-states'] ?? false,
    trustForwardedFor: values['trust-forwarded-for'] ?? false,
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE')
      throw new UsageError(`port ${port} is already in use; pick another or use --port 0.`);
    throw err;
  });

  if (token === undefined) {
    // The one place a token is ever printed: the user needs it to call the provider.
    io.stderr('generated a root token, printed once on stdout; pass --token to choose your own');
    io.stdout(running.rootToken);
  }
  io.stderr(
    `faults: ${faults.length ? faults.join(', ') : 'none'}; rate limits: ${
      rateLimitFlag === 'on' ? 'on' : 'off'
    }` + (running.stateChangeUrl ? `; provider states: POST ${running.stateChangeUrl}` : ''),
  );
  io.stdout(`listening ${running.url}`);

  const signal = await waitForStop();
  await running.close();
  io.stderr(`stopped (${signal})`);
  return 0;
}
