import path from 'node:path';
import { CONTRACTS_DIR } from '../../src/contracts/fixtures';
import { PACKAGE_ROOT } from '../../src/conformance/defaults';
import { isUnmatched, RunningStub, startStub } from '../../src/sdk/stub';

/** The pact stub server as the SDK runs use it: free port, contract served, the rest refused. */
describe('pact stub server on contracts/', () => {
  let stub: RunningStub;

  beforeAll(async () => {
    stub = await startStub(path.join(PACKAGE_ROOT, CONTRACTS_DIR), process.env);
  }, 30_000);
  afterAll(() => stub?.close());

  it('answers a request the contract describes with its response', async () => {
    const res = await fetch(`${stub.url}/auth/api_keys`, {
      headers: { Accept: 'application/vnd.api+json', Authorization: 'fake-token' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.api\+json/);
    const body = (await res.json()) as { data: unknown[] };
    expect(Array.isArray(body.data)).toBe(true);
  });

  it('refuses a request the contract does not describe (404, no body)', async () => {
    const res = await fetch(`${stub.url}/auth/api_keys/tok_abc/extra`, { method: 'GET' });
    const text = await res.text();
    expect(isUnmatched(res.status, res.headers.get('content-type') ?? undefined, text)).toBe(true);
  });
});
