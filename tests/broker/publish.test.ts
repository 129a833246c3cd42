import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BrokerDouble, ReceivedRequest, startBrokerDouble } from './broker-double';
import { CANARY_TOKEN, REPO_ROOT, runCli } from './helpers';

interface PublishBody {
  pacticipantName: string;
  pacticipantVersionNumber: string;
  branch?: string;
  contracts: {
    consumerName: string;
    providerName: string;
    specification: string;
    contentType: string;
    content: string;
  }[];
}

const contractsDir = path.join(REPO_ROOT, 'contracts');
const committed = readdirSync(contractsDir)
  .filter((n) => n.endsWith('.json'))
  .sort()
  .map((name) => ({ name, pact: JSON.parse(readFileSync(path.join(contractsDir, name), 'utf8')) }));

const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();

const publishes = (broker: BrokerDouble) =>
  broker.received.filter((r) => r.method === 'POST' && r.path === '/contracts/publish');
const bodyOf = (r: ReceivedRequest) => r.json as PublishBody;
const decode = (content: string) => JSON.parse(Buffer.from(content, 'base64').toString('utf8'));

describe('pact publish with the real pact CLI', () => {
  let broker: BrokerDouble;
  beforeEach(async () => {
    broker = await startBrokerDouble({ token: CANARY_TOKEN });
  });
  afterEach(() => broker.close());

  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    PACT_BROKER_BASE_URL: broker.url,
    PACT_BROKER_TOKEN: CANARY_TOKEN,
    ...extra,
  });

  it('has committed contracts to publish', () => {
    expect(committed.length).toBeGreaterThan(0);
    for (const { name } of committed) expect(git('ls-files', `contracts/${name}`)).not.toBe('');
  });

  it('publishes exactly the committed contracts under the version and branch it is given', async () => {
    const res = await runCli(
      ['pact', 'publish'],
      env({ GIT_COMMIT: '0123abc', GIT_BRANCH: 'feat/rotate' }),
    );
    expect(res).toMatchObject({ code: 0 });
    expect(res.out).toContain(
      'version 0123abc (from GIT_COMMIT), branch feat/rotate (from GIT_BRANCH)',
    );

    const posts = publishes(broker).map(bodyOf);
    // The CLI publishes one file per request; together they are the committed files, nothing else.
    expect(posts).toHaveLength(committed.length);
    for (const [i, { pact }] of committed.entries()) {
      const body = posts[i];
      expect(body).toMatchObject({
        pacticipantName: pact.consumer.name,
        pacticipantVersionNumber: '0123abc',
        branch: 'feat/rotate',
      });
      expect(body.contracts).toHaveLength(1);
      const [contract] = body.contracts;
      expect(contract).toMatchObject({
        consumerName: pact.consumer.name,
        providerName: pact.provider.name,
        specification: 'pact',
        contentType: 'application/json',
      });
      // The CLI re-serialises the pact (its own pact library version lands in metadata.pactRust);
      // what the provider verifies must be what was committed.
      const published = decode(contract.content);
      expect(published.consumer).toEqual(pact.consumer);
      expect(published.provider).toEqual(pact.provider);
      expect(published.interactions).toEqual(pact.interactions);
      expect(published.metadata.pactSpecification).toEqual(pact.metadata.pactSpecification);
    }
  });

  it('uses the git commit and branch of the checkout when nothing overrides them', async () => {
    const res = await runCli(['pact', 'publish'], env());
    expect(res.code).toBe(0);
    const [body] = publishes(broker).map(bodyOf);
    expect(body.pacticipantVersionNumber).toBe(git('rev-parse', 'HEAD'));
    const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
    if (branch === 'HEAD') expect(body.branch).toBeUndefined();
    else expect(body.branch).toBe(branch);
  });

  it('takes the source branch of a GitHub pull request over its merge ref', async () => {
    const res = await runCli(
      ['pact', 'publish'],
      env({
        GITHUB_SHA: 'f00dcafe',
        GITHUB_HEAD_REF: 'fix/allowed-ips',
        GITHUB_REF_NAME: '42/merge',
      }),
    );
    expect(res.code).toBe(0);
    expect(publishes(broker).map(bodyOf)[0]).toMatchObject({
      pacticipantVersionNumber: 'f00dcafe',
      branch: 'fix/allowed-ips',
    });
  });

  it('sends the token as a bearer credential and never puts it on the command line', async () => {
    const cmdlines: string[] = [];
    await broker.close();
    // While the CLI waits for its first answer, every process's command line is what `ps` shows.
    broker = await startBrokerDouble({
      token: CANARY_TOKEN,
      onRequest: () => {
        if (cmdlines.length) return;
        for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
          try {
            cmdlines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
          } catch {
            // the process ended between listing and reading
          }
        }
      },
    });
    const res = await runCli(['pact', 'publish'], env({ GIT_COMMIT: 'abc', GIT_BRANCH: 'main' }));
    expect(res.code).toBe(0);
    expect(broker.received.every((r) => r.headers.authorization === `Bearer ${CANARY_TOKEN}`)).toBe(
      true,
    );
    const pactProcess = cmdlines.find((c) => / broker publish /.test(c));
    expect(pactProcess).toBeDefined();
    expect(pactProcess).not.toContain(broker.url);
    expect(cmdlines.filter((c) => c.includes(CANARY_TOKEN))).toEqual([]);
  });

  it('authenticates with PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD when there is no token', async () => {
    const res = await runCli(['pact', 'publish'], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_USERNAME: 'ci',
      PACT_BROKER_PASSWORD: CANARY_TOKEN,
      GIT_COMMIT: 'abc',
    });
    // The double only accepts the bearer token, so the basic credential is refused: what matters
    // is what the CLI sent, and that the refusal does not print the password.
    expect(res.code).toBe(2);
    const basic = `Basic ${Buffer.from(`ci:${CANARY_TOKEN}`).toString('base64')}`;
    expect(broker.received[0].headers.authorization).toBe(basic);
    expect(res.out + res.err).not.toContain(CANARY_TOKEN);
  });
});
