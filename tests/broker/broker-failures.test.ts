import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BrokerDouble, startBrokerDouble } from './broker-double';
import { REFUSED_URL } from '../support/net';
import { CANARY_TOKEN, REPO_ROOT, runCli } from './helpers';

const commands: Record<string, string[]> = {
  publish: ['pact', 'publish'],
  'can-i-deploy': [
    'pact',
    'can-i-deploy',
    '--pacticipant',
    'latitude-api-keys-client',
    '--version',
    'abc',
    '--to-environment',
    'production',
  ],
  'record-deployment': [
    'pact',
    'record-deployment',
    '--pacticipant',
    'latitude-api-keys-client',
    '--version',
    'abc',
    '--environment',
    'production',
  ],
};

type Failure = 'down' | '401' | '500';
const expected: Record<Failure, RegExp> = {
  down: /^error: cannot reach the Pact Broker at http:\/\/127\.0\.0\.1:\d+ during [a-z-]+: check PACT_BROKER_BASE_URL and that the broker is running\./,
  '401':
    /^error: the Pact Broker at http:\/\/127\.0\.0\.1:\d+ refused the credentials \(HTTP 401\) during [a-z-]+: check PACT_BROKER_TOKEN/,
  '500':
    /^error: the Pact Broker at http:\/\/127\.0\.0\.1:\d+ failed \(HTTP 500\) during [a-z-]+: it is up but broken/,
};

describe('a broker that cannot answer', () => {
  let broker: BrokerDouble | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  // The double repeats the Authorization header in its error bodies and the CLI prints error
  // bodies: the canary reaches the CLI's output, and only the scrubbing keeps it off the screen.
  const brokerUrl = async (failure: Failure): Promise<string> => {
    if (failure === 'down') return REFUSED_URL;
    broker = await startBrokerDouble({
      echoAuthorization: true,
      ...(failure === '401' ? { token: 'some-other-token-entirely' } : { failWith: 500 }),
    });
    return broker.url;
  };

  describe.each(Object.keys(commands))('pact %s', (name) => {
    it.each(['down', '401', '500'] as Failure[])(
      'when the broker is %s: one clear message, exit 2, no token in the output',
      async (failure) => {
        const url = await brokerUrl(failure);
        const res = await runCli(commands[name], {
          PACT_BROKER_BASE_URL: url,
          PACT_BROKER_TOKEN: CANARY_TOKEN,
          GIT_COMMIT: 'abc',
          GIT_BRANCH: 'main',
        });
        expect(res.code).toBe(2);
        expect(res.err).toMatch(expected[failure]);
        expect(res.err).toContain(`during ${name}`);
        expect(res.err.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
        // The CLI's raw failure lines are folded into the message, not dumped beside it.
        expect(res.out).not.toContain('❌');
        expect(res.out + res.err).not.toContain(CANARY_TOKEN);
        if (failure !== 'down') expect(broker!.received.length).toBeGreaterThan(0);
      },
    );
  });

  it('keeps the token out of the stdout and stderr of a real process too', async () => {
    broker = await startBrokerDouble({
      echoAuthorization: true,
      token: 'some-other-token-entirely',
    });
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'bin/latitude-conformance.js'), ...commands['can-i-deploy']],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH,
          PACT_BROKER_BASE_URL: broker.url,
          PACT_BROKER_TOKEN: CANARY_TOKEN,
          PACT_BROKER_HTTP_RETRIES: '0',
        },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(expected['401']);
    expect(broker.received[0].headers.authorization).toBe(`Bearer ${CANARY_TOKEN}`);
    expect(out + err).not.toContain(CANARY_TOKEN);
  });
});

describe('a broker that is not configured', () => {
  const publishWith = (env: NodeJS.ProcessEnv) =>
    runCli(['pact', 'publish'], { GIT_COMMIT: 'abc', ...env });

  it('names PACT_BROKER_BASE_URL when it is missing (exit 2)', async () => {
    const res = await publishWith({ PACT_BROKER_TOKEN: CANARY_TOKEN });
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/^error: PACT_BROKER_BASE_URL is not set/);
  });

  it('asks for credentials when there are none (exit 2)', async () => {
    const res = await publishWith({ PACT_BROKER_BASE_URL: REFUSED_URL });
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/^error: No Pact Broker credentials: set PACT_BROKER_TOKEN/);
  });

  it('names the missing half of a username and password (exit 2)', async () => {
    const res = await publishWith({
      PACT_BROKER_BASE_URL: REFUSED_URL,
      PACT_BROKER_USERNAME: 'ci',
    });
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/^error: PACT_BROKER_PASSWORD is not set/);
  });

  it('refuses credentials inside the URL without printing them (exit 2)', async () => {
    const res = await publishWith({
      PACT_BROKER_BASE_URL: `https://ci:${CANARY_TOKEN}@broker.example`,
    });
    expect(res.code).toBe(2);
    expect(res.err).toMatch(
      /^error: PACT_BROKER_BASE_URL \(https:\/\/broker\.example\/\) carries credentials/,
    );
    expect(res.err).not.toContain(CANARY_TOKEN);
  });
});

describe('a broker that never answers', () => {
  it('is given up after --timeout seconds with one message (exit 2), and the pact process is gone', async () => {
    // Only this test's own pact process: the other jest worker may be running `broker publish`
    // at the same time, against its own double. The CLI gets the broker URL in its environment,
    // and this double's URL (its port) is unique to it.
    const pids = new Set<string>();
    let url = '';
    const isOurs = (pid: string) =>
      / broker publish /.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')) &&
      readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .includes(`PACT_BROKER_BASE_URL=${url}`);
    const broker = await startBrokerDouble({
      hang: true,
      onRequest: () => {
        for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
          try {
            if (isOurs(pid)) pids.add(pid);
          } catch {
            // the process ended between listing and reading, or is not ours to read
          }
        }
      },
    });
    url = broker.url;
    try {
      const res = await runCli(['pact', 'publish', '--timeout', '1'], {
        PACT_BROKER_BASE_URL: broker.url,
        PACT_BROKER_TOKEN: CANARY_TOKEN,
        GIT_COMMIT: 'abc',
      });
      expect(res.code).toBe(2);
      expect(res.err).toMatch(
        /^error: the Pact Broker at http:\/\/127\.0\.0\.1:\d+ did not answer within 1 s/,
      );
      expect(pids.size).toBe(1);
      expect(existsSync(`/proc/${[...pids][0]}`)).toBe(false);
    } finally {
      await broker.close();
    }
  });
});
