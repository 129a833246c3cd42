import { API_KEYS_PATH } from '../../src/provider';
import { clientFrom, harness, Harness } from './reference-helpers';

const INVALID_TOKEN_BODY = {
  errors: [
    {
      code: 'INVALID_TOKEN',
      status: 'unauthorized',
      title: 'Invalid Token',
      detail: 'Invalid Token',
      meta: {},
    },
  ],
};

describe('reference provider: authentication', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ rootToken: 'root-token-for-tests-0123456789abcdef' });
  });
  afterEach(() => h.provider.close());

  it('uses the root token it is given', () => {
    expect(h.provider.rootToken).toBe('root-token-for-tests-0123456789abcdef');
  });

  it.each(['bearer', 'raw'] as const)(
    'accepts the root token with the %s scheme',
    async (scheme) => {
      expect((await h.as(h.provider.rootToken, scheme).list()).status).toBe(200);
    },
  );

  it('accepts "bearer" in any case and surrounding spaces', async () => {
    const res = await h.as(undefined).send({
      operationId: 'get-api-keys',
      method: 'GET',
      path: API_KEYS_PATH,
      headers: { Authorization: `  bEaReR   ${h.provider.rootToken} ` },
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'ffffffffffffffffffffffffffffffffffff'],
    ['an empty Bearer', ''],
  ])('answers %s with 401 and the recorded INVALID_TOKEN body', async (_what, token) => {
    const res = await h.as(token).list();
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
    expect(JSON.parse(res.rawBody)).toEqual(INVALID_TOKEN_BODY);
  });

  it('refuses writes without a valid token and changes nothing', async () => {
    const res = await h.as('nope').create({ name: 'sneaky' });
    expect(res.status).toBe(401);
    expect(h.provider.keys()).toEqual([]);
  });

  it.each(['bearer', 'raw'] as const)(
    'a created key is itself a valid token (%s)',
    async (scheme) => {
      const created = await h.client.create({ name: 'writer' });
      const token = created.body?.data?.attributes?.token as string;
      const asKey = h.as(token, scheme);
      expect((await asKey.list()).status).toBe(200);
      const child = await asKey.create({ name: 'made by a key' });
      expect(child.status).toBe(201);
    },
  );

  it('sets last_used_at when a key is used, and not before', async () => {
    const created = await h.client.create({ name: 'used' });
    const id = created.body?.data?.id;
    const token = created.body?.data?.attributes?.token as string;
    const before = await h.client.list();
    expect(before.body?.data?.find((k) => k.id === id)?.attributes?.last_used_at).toBeNull();

    const started = Date.now();
    await h.as(token).list();
    const after = await h.client.list();
    const lastUsed = after.body?.data?.find((k) => k.id === id)?.attributes?.last_used_at as string;
    expect(lastUsed).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(Date.parse(lastUsed)).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
  });

  it('a rotated-away token and a deleted key token answer 401', async () => {
    const a = await h.client.create({ name: 'rotated' });
    const b = await h.client.create({ name: 'deleted' });
    await h.client.rotate(a.body?.data?.id as string);
    await h.client.delete(b.body?.data?.id as string);
    expect((await h.as(a.body?.data?.attributes?.token).list()).status).toBe(401);
    expect((await h.as(b.body?.data?.attributes?.token).list()).status).toBe(401);
  });

  it('a key can delete itself; its token stops working at once', async () => {
    const created = await h.client.create({ name: 'self' });
    const token = created.body?.data?.attributes?.token as string;
    expect((await h.as(token).delete(created.body?.data?.id as string)).status).toBe(200);
    expect((await h.as(token).list()).status).toBe(401);
  });
});

describe('reference provider: read-only keys', () => {
  let h: Harness;
  let readOnlyToken: string;
  let otherId: string;
  beforeEach(async () => {
    h = await harness();
    const ro = await h.client.create({ name: 'reader', read_only: true });
    readOnlyToken = ro.body?.data?.attributes?.token as string;
    otherId = (await h.client.create({ name: 'target' })).body?.data?.id as string;
  });
  afterEach(() => h.provider.close());

  it('may list', async () => {
    expect((await h.as(readOnlyToken).list()).status).toBe(200);
  });

  it.each([
    ['create', (c: Harness['client']) => c.create({ name: 'x' })],
    ['rotate', (c: Harness['client'], id: string) => c.rotate(id)],
    ['update', (c: Harness['client'], id: string) => c.update(id, { name: 'x' })],
    ['delete', (c: Harness['client'], id: string) => c.delete(id)],
  ])('gets 403 for %s and nothing changes', async (_op, call) => {
    const before = h.provider.keys();
    const res = await call(h.as(readOnlyToken), otherId);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
    expect(res.body?.errors?.[0]).toMatchObject({ code: 'READ_ONLY_API_KEY', status: '403' });
    expect(h.provider.keys()).toEqual(before);
  });
});

describe('reference provider: allowed_ips', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ trustForwardedFor: true });
  });
  afterEach(() => h.provider.close());

  async function keyAllowing(allowed: string[]): Promise<string> {
    const res = await h.client.create({ name: 'restricted', allowed_ips: allowed });
    expect(res.status).toBe(201);
    return res.body?.data?.attributes?.token as string;
  }

  it.each([
    ['a single IPv4 address', ['203.0.113.7'], '203.0.113.7', '203.0.113.8'],
    ['an IPv4 range', ['198.51.100.0/24'], '198.51.100.250', '198.51.101.1'],
    ['a single IPv6 address', ['2001:db8::1'], '2001:db8::1', '2001:db8::2'],
    ['an IPv6 range', ['2001:db8:abcd::/48'], '2001:db8:abcd:12::5', '2001:db8:abce::5'],
    [
      'IPv4 written as IPv4-mapped IPv6 by the client',
      ['192.0.2.0/24'],
      '::ffff:192.0.2.10',
      '::ffff:192.0.3.10',
    ],
    ['an IPv6 range against an IPv4 client', ['2001:db8::/32'], '2001:db8::9', '10.0.0.1'],
  ])('with %s: serves inside, 403 outside', async (_what, allowed, inside, outside) => {
    const token = await keyAllowing(allowed);
    expect((await clientFrom(h.provider, token, inside).list()).status).toBe(200);
    const refused = await clientFrom(h.provider, token, outside).list();
    expect(refused.status).toBe(403);
    expect(refused.body?.errors?.[0]).toMatchObject({ code: 'IP_NOT_ALLOWED', status: '403' });
  });

  it('an empty list allows every address', async () => {
    const token = await keyAllowing([]);
    expect((await clientFrom(h.provider, token, '192.0.2.1').list()).status).toBe(200);
  });

  it('without trustForwardedFor the socket address (127.0.0.1) counts, not the header', async () => {
    const strict = await harness();
    try {
      const res = await strict.client.create({ name: 'r', allowed_ips: ['203.0.113.7'] });
      const token = res.body?.data?.attributes?.token as string;
      expect((await clientFrom(strict.provider, token, '203.0.113.7').list()).status).toBe(403);
      const local = await strict.client.create({ name: 'l', allowed_ips: ['127.0.0.1'] });
      expect((await strict.as(local.body?.data?.attributes?.token).list()).status).toBe(200);
    } finally {
      await strict.provider.close();
    }
  });

  it('the root token is not restricted by any key', async () => {
    await keyAllowing(['203.0.113.7']);
    expect((await clientFrom(h.provider, h.provider.rootToken, '192.0.2.1').list()).status).toBe(
      200,
    );
  });

  it('stores a single address with its prefix: /32 for IPv4, /128 for IPv6; ranges as written', async () => {
    const res = await h.client.create({
      name: 'echo',
      allowed_ips: ['192.168.1.100', '2001:DB8:0:0::1', '10.0.0.0/24', '2001:db8::/32'],
    });
    expect(res.body?.data?.attributes?.allowed_ips).toEqual([
      '192.168.1.100/32',
      '2001:db8::1/128',
      '10.0.0.0/24',
      '2001:db8::/32',
    ]);
  });
});
