import { BrokerDouble, startBrokerDouble } from './broker-double';
import { CANARY_TOKEN, runCli } from './helpers';

describe('pact record-deployment with the real pact CLI', () => {
  let broker: BrokerDouble;
  beforeEach(async () => {
    broker = await startBrokerDouble({ token: CANARY_TOKEN, environments: ['test', 'production'] });
  });
  afterEach(() => broker.close());

  const record = (environment: string) =>
    runCli(
      [
        'pact',
        'record-deployment',
        '--pacticipant',
        'latitude-api-keys-client',
        '--version',
        '0123abc',
        '--environment',
        environment,
      ],
      { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: CANARY_TOKEN },
    );

  it('records the version as deployed to the named environment', async () => {
    const res = await record('production');
    expect(res.code).toBe(0);
    expect(res.out).toContain(
      'Recorded deployment of latitude-api-keys-client version 0123abc to production',
    );
    const posts = broker.received.filter((r) => r.method === 'POST');
    // The production environment's uuid in the double, found through the version's pb:record-deployment link.
    expect(posts.map((r) => r.path)).toEqual([
      '/pacticipants/latitude-api-keys-client/versions/0123abc/deployed-versions/environment/00000000-0000-4000-8000-000000000002',
    ]);
  });

  it('names the missing environment and how to create it (exit 2), recording nothing', async () => {
    const res = await record('staging');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(
      /^error: the Pact Broker at http:\/\/127\.0\.0\.1:\d+ has no environment "staging": create it once with `npx pact broker create-environment --name staging`/,
    );
    expect(broker.received.filter((r) => r.method === 'POST')).toEqual([]);
  });
});
