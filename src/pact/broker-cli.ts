import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { UserError } from '../errors';
import { SecretScrubber } from '../redact';
import { BrokerConfig, childEnv, secretsOf } from './broker-config';

/**
 * Runs the real `pact broker …` CLI from @pact-foundation/pact-cli: it does all the talking to the
 * broker. The broker URL and credentials reach it through its environment only (see
 * broker-config.ts), and everything it prints is scrubbed before it is shown.
 */

/** The broker could not be asked: down, refused the credentials, or failed. */
export class BrokerError extends UserError {}

const load = createRequire(__filename);

/** The native `pact` executable for this platform, found by the package's own resolver. */
export function pactBinaryPath(): string {
  try {
    const standalone = load('@pact-foundation/pact-cli/src/pact-standalone') as {
      standalone: () => { pactFullPath: string };
    };
    // The native binary rather than node_modules/.bin/pact (a node wrapper around it): a timeout
    // then kills the process that holds the connection, not just its parent.
    return standalone.standalone().pactFullPath;
  } catch (err) {
    throw new UserError(
      `the pact CLI is not installed for ${process.platform}-${process.arch} (${(err as Error).message.split('\n')[0]}): run \`npm ci\`.`,
    );
  }
}

export interface PactRun {
  exitCode: number;
  /** The CLI's output (stdout then stderr), scrubbed of every configured secret. */
  lines: string[];
}

export interface RunOptions {
  config: BrokerConfig;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Kill the CLI after this long; a broker that accepts connections and never answers would hang it. */
  timeoutMs: number;
  /** Extra values to scrub from the output, e.g. LATITUDE_API_TOKEN. */
  alsoSecret?: (string | undefined)[];
}

export async function runPactBroker(args: string[], opts: RunOptions): Promise<PactRun> {
  const scrubber = new SecretScrubber([...secretsOf(opts.config), ...(opts.alsoSecret ?? [])]);
  const bin = pactBinaryPath();
  const child = spawn(bin, ['broker', ...args], {
    cwd: opts.cwd,
    env: childEnv(opts.config, opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  }).finally(() => clearTimeout(timer));
  const text = Buffer.concat(out).toString('utf8') + Buffer.concat(err).toString('utf8');
  const lines = scrubber
    .scrub(stripAnsi(text))
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (timedOut) {
    throw new BrokerError(
      `the Pact Broker at ${opts.config.baseUrl} did not answer within ${Math.round(opts.timeoutMs / 1000)} s: check that PACT_BROKER_BASE_URL points at a running broker.`,
    );
  }
  return { exitCode, lines };
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

/** The CLI's own failure lines (`❌ …`), each once. */
export function failureDetail(lines: string[]): string[] {
  const seen = new Set<string>();
  for (const line of lines) {
    const m = line.match(/^❌\s*(?:❌\s*)?(?:IO Error - )?(.+)$/);
    if (m) seen.add(m[1].trim());
  }
  return [...seen];
}

/**
 * One clear message for a CLI run that failed without an answer: what happened, and what to do.
 * The CLI's own words follow on a second line (scrubbed), for the details.
 */
export function brokerFailure(what: string, run: PactRun, baseUrl: string): BrokerError {
  const detail = failureDetail(run.lines);
  const all = detail.join(' ');
  const status = all.match(/failed: (\d{3})\b/)?.[1];
  let message: string;
  if (status === '401' || status === '403') {
    message = `the Pact Broker at ${baseUrl} refused the credentials (HTTP ${status}) during ${what}: check PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD) and its permissions.`;
  } else if (status && status.startsWith('5')) {
    message = `the Pact Broker at ${baseUrl} failed (HTTP ${status}) during ${what}: it is up but broken; try again later or look at the broker's logs.`;
  } else if (
    /Failed to access pact broker|error sending request|connection refused|dns error/i.test(all)
  ) {
    message = `cannot reach the Pact Broker at ${baseUrl} during ${what}: check PACT_BROKER_BASE_URL and that the broker is running.`;
  } else if (status) {
    message = `the Pact Broker at ${baseUrl} answered HTTP ${status} during ${what}.`;
  } else {
    message = `${what} failed (pact CLI exit ${run.exitCode}).`;
  }
  const said = detail[0] ?? run.lines.filter((l) => l.trim()).slice(-1)[0];
  return new BrokerError(said ? `${message}\n  pact: ${said}` : message);
}
