import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { intFlag, parseCommandArgs } from '../args';
import { InputError, UsageError } from '../errors';
import type { Io } from '../io';
import { BrokerConfig, brokerConfigFromEnv } from './broker-config';
import { brokerFailure, runPactBroker } from './broker-cli';
import { gitIn, resolvePublishVersion, resolveVersion, ResolvedValue } from './broker-version';
import { assertPublishable, ContractText } from './secret-guard';

/**
 * `pact publish | can-i-deploy | record-deployment`: the broker half of the Pact workflow, each a
 * thin shell over the real `pact broker` CLI. Exit codes: 0 done (or deployable), 1 can-i-deploy
 * says no, 2 nothing was asked or the broker could not answer (configuration, secret guard,
 * broker down, credentials refused, broker error).
 */
export async function brokerCommand(sub: string, args: string[], io: Io): Promise<number> {
  switch (sub) {
    case 'publish':
      return publish(args, io);
    case 'can-i-deploy':
      return canIDeploy(args, io);
    case 'record-deployment':
      return recordDeployment(args, io);
    default:
      throw new UsageError(`unknown broker command "${sub}".`);
  }
}

// The pact CLI has no timeout of its own: a broker that accepts the connection and never answers
// would hang a CI job until the job's own limit. The default sits above the CLI's retries of 5xx
// (PACT_BROKER_HTTP_RETRIES, 8 by default, backing off to ~2 min in total), so it only ends a
// broker that never answers; can-i-deploy adds the time its retries may take.
const DEFAULT_TIMEOUT_SECONDS = 300;
const timeoutFlag = { timeout: { type: 'string' } } as const;
const timeoutMs = (value: string | undefined) =>
  intFlag('timeout', value, DEFAULT_TIMEOUT_SECONDS, 1) * 1000;

function describe(v: ResolvedValue): string {
  return `${v.value} (from ${v.source})`;
}

async function publish(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(args, {
    dir: { type: 'string', default: 'contracts' },
    ...timeoutFlag,
  });
  const dir = path.resolve(io.cwd, values.dir!);
  const contracts = readContracts(dir, io.cwd);
  // The guard runs before anything else, so a leaked credential is reported even when the broker
  // is not configured yet.
  assertPublishable(contracts, io.env.LATITUDE_API_TOKEN);
  const config = brokerConfigFromEnv(io.env);
  const { version, branch } = resolvePublishVersion(io.env, gitIn(io.cwd));
  io.stdout(
    `Publishing ${contracts.length} contract(s) from ${path.relative(io.cwd, dir) || '.'} to ${config.baseUrl}: version ${describe(version)}, ${branch ? `branch ${describe(branch)}` : 'no branch (detached HEAD: set GIT_BRANCH)'}.`,
  );
  if (!branch) io.stderr('warning: publishing without a branch; set GIT_BRANCH to name one.');
  const cliArgs = [
    'publish',
    ...contracts.map((c) => path.resolve(io.cwd, c.file)),
    '--consumer-app-version',
    version.value,
    ...(branch ? ['--branch', branch.value] : []),
  ];
  const run = await runPactBroker(cliArgs, options(config, io, timeoutMs(values.timeout)));
  if (run.exitCode !== 0) throw brokerFailure('publish', run, config.baseUrl);
  run.lines.forEach((l) => io.stdout(l));
  return 0;
}

async function canIDeploy(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(args, {
    pacticipant: { type: 'string' },
    version: { type: 'string' },
    'to-environment': { type: 'string' },
    'retry-while-unknown': { type: 'string' },
    'retry-interval': { type: 'string' },
    ...timeoutFlag,
  });
  const pacticipant = required(values.pacticipant, 'pacticipant', 'can-i-deploy');
  const environment = required(values['to-environment'], 'to-environment', 'can-i-deploy');
  const retries = intFlag('retry-while-unknown', values['retry-while-unknown'], 0);
  const interval = intFlag('retry-interval', values['retry-interval'], 10, 1);
  const config = brokerConfigFromEnv(io.env);
  const version = values.version
    ? { value: values.version, source: '--version' }
    : resolveVersion(io.env, gitIn(io.cwd));
  io.stdout(
    `Asking ${config.baseUrl} whether ${pacticipant} ${describe(version)} can be deployed to ${environment}${retries ? `, retrying up to ${retries} time(s) every ${interval} s while verification results are unknown` : ''}.`,
  );
  const cliArgs = [
    'can-i-deploy',
    '--pacticipant',
    pacticipant,
    '--version',
    version.value,
    '--to-environment',
    environment,
    ...(retries
      ? ['--retry-while-unknown', String(retries), '--retry-interval', String(interval)]
      : []),
  ];
  const run = await runPactBroker(
    cliArgs,
    options(config, io, timeoutMs(values.timeout) + retries * interval * 1000),
  );
  // The CLI exits 1 for both "no" and "could not ask"; only a matrix answer says "no".
  const answered = run.lines.some((l) => /Computer says (yes|no)/.test(l));
  if (run.exitCode === 0) {
    run.lines.forEach((l) => io.stdout(l));
    return 0;
  }
  if (answered && !run.lines.some((l) => /failed: \d{3}|Failed to access/.test(l))) {
    run.lines.forEach((l) => io.stdout(l));
    io.stderr(
      `can-i-deploy: no. ${pacticipant} ${version.value} is not known to be compatible with what is deployed in ${environment}.`,
    );
    return 1;
  }
  throw brokerFailure('can-i-deploy', run, config.baseUrl);
}

async function recordDeployment(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(args, {
    pacticipant: { type: 'string' },
    version: { type: 'string' },
    environment: { type: 'string' },
    'application-instance': { type: 'string' },
    ...timeoutFlag,
  });
  const pacticipant = required(values.pacticipant, 'pacticipant', 'record-deployment');
  const environment = required(values.environment, 'environment', 'record-deployment');
  const config = brokerConfigFromEnv(io.env);
  const version = values.version
    ? { value: values.version, source: '--version' }
    : resolveVersion(io.env, gitIn(io.cwd));
  const instance = values['application-instance'];
  const cliArgs = [
    'record-deployment',
    '--pacticipant',
    pacticipant,
    '--version',
    version.value,
    '--environment',
    environment,
    ...(instance ? ['--application-instance', instance] : []),
  ];
  const run = await runPactBroker(cliArgs, options(config, io, timeoutMs(values.timeout)));
  if (run.exitCode !== 0) {
    const missing = run.lines.find((l) => /Environment .* does not exist/.test(l));
    if (missing) {
      throw new InputError(
        `the Pact Broker at ${config.baseUrl} has no environment "${environment}": create it once with \`npx pact broker create-environment --name ${environment}\` (with PACT_BROKER_BASE_URL and the credentials set), or fix --environment.`,
      );
    }
    throw brokerFailure('record-deployment', run, config.baseUrl);
  }
  run.lines.forEach((l) => io.stdout(l));
  return 0;
}

function options(config: BrokerConfig, io: Io, timeoutMs: number) {
  return {
    config,
    env: io.env,
    cwd: io.cwd,
    timeoutMs,
    alsoSecret: [io.env.LATITUDE_API_TOKEN],
  };
}

function required(value: string | undefined, flag: string, command: string): string {
  if (!value) throw new UsageError(`pact ${command} needs --${flag}.`);
  return value;
}

/** Every `*.json` in the directory, read once: the guard checks what is then published. */
function readContracts(dir: string, cwd: string): ContractText[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    throw new InputError(
      `cannot read the contracts directory ${dir}: pass --dir, or run the consumer tests (npm run test:consumer) first.`,
    );
  }
  if (!names.length) {
    throw new InputError(
      `no pact files (*.json) in ${dir}: run the consumer tests (npm run test:consumer) first.`,
    );
  }
  return names.sort().map((n) => {
    const abs = path.join(dir, n);
    const file = path.relative(cwd, abs);
    let text: string;
    try {
      // A folder named *.json (or an unreadable file) is the user's to fix, not an internal error.
      if (statSync(abs).isDirectory()) {
        throw new InputError(
          `${file} is a directory, not a pact file: move it out of ${dir} or pass --dir.`,
        );
      }
      text = readFileSync(abs, 'utf8');
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot read the pact file ${file}: ${(err as Error).message}.`);
    }
    let pact: { consumer?: { name?: unknown }; provider?: { name?: unknown } };
    try {
      pact = JSON.parse(text);
    } catch (err) {
      throw new InputError(`${file} is not JSON (${(err as Error).message}).`);
    }
    if (typeof pact?.consumer?.name !== 'string' || typeof pact?.provider?.name !== 'string') {
      throw new InputError(
        `${file} is not a pact file: it has no consumer.name and provider.name.`,
      );
    }
    return { file, text };
  });
}
