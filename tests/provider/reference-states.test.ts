import { PROVIDER_STATES_PATH, ProviderStates, startProvider } from '../../src/provider';
import { harness, Harness } from './reference-helpers';

describe('reference provider: provider states', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ stateChangeEndpoint: true });
  });
  afterEach(() => h.provider.close());

  it(`"${ProviderStates.apiKeyExists}" creates a key the API serves and returns its id`, async () => {
    const { apiKeyId } = await h.provider.setState(ProviderStates.apiKeyExists);
    expect(apiKeyId).toMatch(/^tok_[A-Za-z0-9]+$/);
    const listed = await h.client.list();
    expect(listed.body?.data?.map((k) => k.id)).toEqual([apiKeyId]);
    expect((await h.client.update(apiKeyId as string, { name: 'managed' })).status).toBe(200);
  });

  it(`"${ProviderStates.apiKeyExists}" takes name and readOnly parameters`, async () => {
    await h.provider.setState(ProviderStates.apiKeyExists, {
      name: 'Named by state',
      readOnly: true,
    });
    expect(h.provider.keys()).toEqual([
      expect.objectContaining({ name: 'Named by state', readOnly: true }),
    ]);
  });

  it(`"${ProviderStates.apiKeyMissing}" makes sure the id it returns answers 404`, async () => {
    const { apiKeyId: existing } = await h.provider.setState(ProviderStates.apiKeyExists);
    const { apiKeyId } = await h.provider.setState(ProviderStates.apiKeyMissing, {
      apiKeyId: existing,
    });
    expect(apiKeyId).toBe(existing);
    expect((await h.client.delete(apiKeyId as string)).status).toBe(404);
    const { apiKeyId: fallback } = await h.provider.setState(ProviderStates.apiKeyMissing);
    expect((await h.client.delete(fallback as string)).status).toBe(404);
  });

  it(`"${ProviderStates.authenticated}" needs nothing and returns no values`, async () => {
    expect(await h.provider.setState(ProviderStates.authenticated)).toEqual({});
    expect((await h.client.list()).status).toBe(200);
  });

  it(`"${ProviderStates.noApiKeys}" empties the list`, async () => {
    await h.client.create({ name: 'x' });
    await h.provider.setState(ProviderStates.noApiKeys);
    expect((await h.client.list()).body?.data).toEqual([]);
  });

  it('teardown deletes the keys setups created, and only those', async () => {
    const own = await h.client.create({ name: 'not from a state' });
    await h.provider.setState(ProviderStates.apiKeyExists);
    await h.provider.setState(ProviderStates.apiKeyExists, {}, 'teardown');
    expect(h.provider.keys().map((k) => k.id)).toEqual([own.body?.data?.id]);
  });

  it('an unknown state is refused, naming the known ones', async () => {
    await expect(h.provider.setState('a state nobody defined')).rejects.toThrow(
      /unknown provider state.*an API key exists/,
    );
  });

  describe(`over HTTP: POST ${PROVIDER_STATES_PATH}`, () => {
    const post = (body: unknown) =>
      fetch(h.provider.stateChangeUrl as string, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('is advertised at stateChangeUrl', () => {
      expect(h.provider.stateChangeUrl).toBe(h.provider.url + PROVIDER_STATES_PATH);
    });

    it('sets a state up and returns the values for fromProviderState', async () => {
      const res = await post({
        state: ProviderStates.apiKeyExists,
        params: { name: 'via http' },
        action: 'setup',
      });
      expect(res.status).toBe(200);
      const values = (await res.json()) as { apiKeyId: string };
      expect(h.provider.keys()).toEqual([
        { id: values.apiKeyId, name: 'via http', readOnly: false },
      ]);
    });

    it('tears a state down', async () => {
      await post({ state: ProviderStates.apiKeyExists, action: 'setup' });
      const res = await post({ state: ProviderStates.apiKeyExists, action: 'teardown' });
      expect(res.status).toBe(200);
      expect(h.provider.keys()).toEqual([]);
    });

    it('needs no Authorization (the verifier calls it directly)', async () => {
      expect((await post({ state: ProviderStates.authenticated })).status).toBe(200);
    });

    it('answers an unknown state 400 with the reason', async () => {
      const res = await post({ state: 'nobody knows this', action: 'setup' });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: Array<{ detail: string }> };
      expect(body.errors[0].detail).toMatch(/unknown provider state "nobody knows this"/);
    });

    it('answers a body that is not JSON 400', async () => {
      const res = await fetch(h.provider.stateChangeUrl as string, { method: 'POST', body: '{' });
      expect(res.status).toBe(400);
    });
  });

  it('the endpoint is off unless asked for', async () => {
    const plain = await startProvider();
    try {
      expect(plain.stateChangeUrl).toBeUndefined();
      const res = await fetch(plain.url + PROVIDER_STATES_PATH, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
