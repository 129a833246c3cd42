import { REFUSED_URL } from '../support/net';
import { BrokerDouble, startBrokerDouble, Verdict } from './broker-double';
import { CANARY_TOKEN, runCli } from './helpers';

const matrixQueries = (broker: BrokerDouble) =>
  broker.received
    .filter((r) => r.path.startsWith('/matrix'))
    .map((r) => new URL(r.path, broker.url));

describe('pact can-i-deploy with the real pact CLI', () => {
  let broker: BrokerDouble | undefined;
  afterEach(() => broker?.close());

  const ask = async (verdicts: Verdict[], extra: string[] = []) => {
    broker = await startBrokerDouble({ token: CANARY_TOKEN, verdicts });
    return runCli(
      [
        'pact',
        'can-i-deploy',
        '--pacticipant',
        'latitude-api-keys-client',
        '--version',
        '0123abc',
        '--to-environment',
        'production',
        ...extra,
      ],
      { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: CANARY_TOKEN },
    );
  };

  it('exits 0 when the broker says yes, having asked about that version and environment', async () => {
    const res = await ask(['yes']);
    expect(res.code).toBe(0);
    expect(res.out).toContain('Computer says yes');
    const [query] = matrixQueries(broker!);
    expect(query.searchParams.get('q[][pacticipant]')).toBe('latitude-api-keys-client');
    expect(query.searchParams.get('q[][version]')).toBe('0123abc');
    expect(query.searchParams.get('environment')).toBe('production');
  });

  it('exits 1 when the broker says no, with the matrix and a one-line verdict', async () => {
    const res = await ask(['no']);
    expect(res.code).toBe(1);
    expect(res.out).toContain('Computer says no');
    expect(res.err).toBe(
      'can-i-deploy: no. latitude-api-keys-client 0123abc is not known to be compatible with what is deployed in production.',
    );
  });

  it('keeps asking while the verification is unknown, and exits 0 once it is known to pass', async () => {
    const res = await ask(
      ['unknown', 'yes'],
      ['--retry-while-unknown', '3', '--retry-interval', '1'],
    );
    expect(res.code).toBe(0);
    expect(matrixQueries(broker!)).toHaveLength(2);
  });

  it('gives up with exit 1 when the verification stays unknown after the retries', async () => {
    const res = await ask(['unknown'], ['--retry-while-unknown', '1', '--retry-interval', '1']);
    expect(res.code).toBe(1);
    expect(matrixQueries(broker!)).toHaveLength(2);
  });

  it('asks once, without retrying, when no retries are requested', async () => {
    const res = await ask(['unknown', 'yes']);
    expect(res.code).toBe(1);
    expect(matrixQueries(broker!)).toHaveLength(1);
  });

  it('checks the version of the checkout when --version is left out', async () => {
    broker = await startBrokerDouble({ token: CANARY_TOKEN });
    const res = await runCli(
      [
        'pact',
        'can-i-deploy',
        '--pacticipant',
        'latitude-api-keys-client',
        '--to-environment',
        'test',
      ],
      { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: CANARY_TOKEN, GIT_COMMIT: 'beef01' },
    );
    expect(res.code).toBe(0);
    expect(matrixQueries(broker).map((q) => q.searchParams.get('q[][version]'))).toEqual([
      'beef01',
    ]);
  });

  it('refuses to run without --to-environment (exit 2)', async () => {
    const res = await runCli(['pact', 'can-i-deploy', '--pacticipant', 'x'], {
      PACT_BROKER_BASE_URL: REFUSED_URL,
      PACT_BROKER_TOKEN: CANARY_TOKEN,
    });
    expect(res).toEqual({
      code: 2,
      out: '',
      err: 'error: pact can-i-deploy needs --to-environment.',
    });
  });
});
