import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPublishBlockers } from '../../src/pact/secret-guard';
import { BrokerDouble, startBrokerDouble } from './broker-double';
import { CANARY_TOKEN, REPO_ROOT, runCli } from './helpers';

const CONTRACT = readdirSync(path.join(REPO_ROOT, 'contracts')).filter((n) =>
  n.endsWith('.json'),
)[0];
const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/broker');

/** Just enough of a pact v4 file to edit the places credentials live. */
interface EditablePact {
  description?: string;
  interactions: {
    description: string;
    request: { headers?: Record<string, string[]> };
    response?: { body?: { content?: { data?: { attributes?: { token?: string } } } } };
  }[];
}

/** A token shaped like a real one (36 hex characters), new on every run, so none is committed. */
const realLooking = () => randomBytes(18).toString('hex');

describe('the secret guard before publishing', () => {
  let broker: BrokerDouble;
  let work: string;
  beforeEach(async () => {
    broker = await startBrokerDouble({ token: CANARY_TOKEN });
    work = mkdtempSync(path.join(tmpdir(), 'broker-guard-'));
  });
  afterEach(async () => {
    await broker.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** The committed contract, edited, in a contracts directory of its own. */
  const leakyContract = (edit: (pact: EditablePact) => void) => {
    const pact: EditablePact = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'contracts', CONTRACT), 'utf8'),
    );
    edit(pact);
    writeFileSync(path.join(work, CONTRACT), JSON.stringify(pact, null, 2));
  };
  const publish = (env: NodeJS.ProcessEnv = {}) =>
    runCli(['pact', 'publish', '--dir', work], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_TOKEN: CANARY_TOKEN,
      GIT_COMMIT: 'abc',
      ...env,
    });

  it('lets the committed contracts through', async () => {
    copyFileSync(path.join(REPO_ROOT, 'contracts', CONTRACT), path.join(work, CONTRACT));
    expect((await publish()).code).toBe(0);
  });

  it('refuses an Authorization value that is not a known fake, naming file and path, not the token', async () => {
    const token = realLooking();
    leakyContract((pact) => {
      pact.interactions[1].request.headers!.Authorization = [`Bearer ${token}`];
    });
    const res = await publish();
    expect(res.code).toBe(2);
    const file = path.relative(REPO_ROOT, path.join(work, CONTRACT));
    expect(res.err).toContain('error: refusing to publish: 1 credential(s)');
    expect(res.err).toContain(
      `${file} $.interactions[1].request.headers.Authorization[0]: Authorization value that is not a known fake example ([REDACTED]…${token.slice(-5)})`,
    );
    expect(res.out + res.err).not.toContain(token);
    expect(broker.received).toEqual([]);
  });

  it('refuses a real-looking token in a response body', async () => {
    const token = realLooking();
    leakyContract((pact) => {
      const created = pact.interactions.find(
        (i) => i.response?.body?.content?.data?.attributes?.token,
      );
      created!.response!.body!.content!.data!.attributes!.token = token;
    });
    const res = await publish();
    expect(res.code).toBe(2);
    expect(res.err).toMatch(
      /\$\.interactions\[\d+\]\.response\.body\.content\.data\.attributes\.token: token attribute/,
    );
    expect(res.out + res.err).not.toContain(token);
    expect(broker.received).toEqual([]);
  });

  it('refuses the value of LATITUDE_API_TOKEN anywhere, even where no token is expected', async () => {
    const secret = `lat_${randomBytes(12).toString('base64url')}`;
    leakyContract((pact) => {
      pact.interactions[0].description = `a request made with ${secret} by mistake`;
    });
    const res = await publish({ LATITUDE_API_TOKEN: secret });
    expect(res.code).toBe(2);
    expect(res.err).toContain('$.interactions[0].description: the value of LATITUDE_API_TOKEN');
    expect(res.out + res.err).not.toContain(secret);
    expect(broker.received).toEqual([]);
  });

  it('finds LATITUDE_API_TOKEN inside a base64-encoded body as well', () => {
    const secret = realLooking();
    const text = JSON.stringify({
      consumer: { name: 'c' },
      provider: { name: 'p' },
      interactions: [
        {
          request: {
            body: {
              content: Buffer.from(`{"token":"${secret}"}`).toString('base64'),
              encoded: 'base64',
            },
          },
        },
      ],
    });
    const codes = findPublishBlockers([{ file: 'x.json', text }], secret).map((f) => [
      f.code,
      f.path,
    ]);
    expect(codes).toEqual([
      ['secret.latitude-api-token', '$.interactions[0].request.body.content'],
    ]);
  });

  it('accepts v3 pacts whose credentials are all visibly fake', () => {
    const file = path.join(FIXTURES, 'fake-credentials-v3.json');
    expect(findPublishBlockers([{ file, text: readFileSync(file, 'utf8') }], undefined)).toEqual(
      [],
    );
  });

  it('does not treat a fake LATITUDE_API_TOKEN, such as the embedded provider uses, as a secret', () => {
    const text = readFileSync(path.join(REPO_ROOT, 'contracts', CONTRACT), 'utf8');
    expect(
      findPublishBlockers([{ file: CONTRACT, text }], 'fake0000000000000000000000000000call'),
    ).toEqual([]);
  });
});
