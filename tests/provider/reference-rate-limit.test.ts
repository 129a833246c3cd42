import { DEFAULT_RATE_LIMIT } from '../../src/provider';
import { RateLimiter } from '../../src/provider/rate-limiter';
import { harness, Harness } from './reference-helpers';

describe('reference provider: rate limits', () => {
  let h: Harness;
  afterEach(() => h?.provider.close());

  it('defaults to the documented 60 GET and 20 writes a minute, enabled', () => {
    expect(DEFAULT_RATE_LIMIT).toEqual({
      enabled: true,
      readsPerMinute: 60,
      writesPerMinute: 20,
      windowMs: 60_000,
    });
  });

  it('is on by default: the 61st GET in a minute answers 429', async () => {
    h = await harness({ rateLimit: undefined });
    const results = [];
    for (let i = 0; i < 61; i++) results.push((await h.client.list()).status);
    expect(results.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(results[60]).toBe(429);
  });

  it('answers 429 with the documented body, meta.retry_after and a Retry-After header', async () => {
    let now = 1_000_000;
    h = await harness({
      rateLimit: { enabled: true, readsPerMinute: 2, writesPerMinute: 1, windowMs: 30_000 },
      clock: () => now,
    });
    await h.client.list();
    await h.client.list();
    now += 4_500;
    const res = await h.client.list();
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
    // 25.5 s left in the window, rounded up.
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBe(26);
    expect(JSON.parse(res.rawBody)).toEqual({
      errors: [
        {
          code: 'RATE_LIMIT_EXCEEDED',
          title: 'Rate Limit Exceeded',
          status: '429',
          detail: 'Too many requests. Please slow down and retry.',
          meta: { retry_after: retryAfter },
        },
      ],
    });
  });

  it('counts GETs and writes separately', async () => {
    h = await harness({ rateLimit: { enabled: true, readsPerMinute: 1, writesPerMinute: 2 } });
    expect((await h.client.list()).status).toBe(200);
    expect((await h.client.list()).status).toBe(429);
    expect((await h.client.create({ name: 'a' })).status).toBe(201);
    const b = await h.client.create({ name: 'b' });
    expect(b.status).toBe(201);
    // Every write method shares the write budget.
    expect((await h.client.delete(b.body?.data?.id as string)).status).toBe(429);
    expect(h.provider.keys()).toHaveLength(2);
  });

  it('counts requests refused after the rate-limit step, not those refused before it', async () => {
    h = await harness({ rateLimit: { enabled: true, readsPerMinute: 1, writesPerMinute: 2 } });
    const raw = (body: string, contentType: string) =>
      h.client.send({
        operationId: 'post-api-key',
        method: 'POST',
        path: '/auth/api_keys',
        body,
        contentType,
      });
    // Refused before the limiter: unknown route and a wrong token use no budget.
    expect((await h.client.send({ operationId: 'x', method: 'GET', path: '/nope' })).status).toBe(
      404,
    );
    expect((await h.as('0'.repeat(36)).create({ name: 'w' })).status).toBe(401);
    // Refused after it: a 415 and a 422 each use a write.
    expect((await raw('{}', 'text/plain')).status).toBe(415);
    expect(
      (await raw('{"data":{"type":"api_keys","attributes":{}}}', 'application/json')).status,
    ).toBe(422);
    const limited = await h.client.create({ name: 'valid' });
    expect(limited.status).toBe(429);
  });

  it('counts per key: one key over its limit does not stop another', async () => {
    h = await harness({ rateLimit: { enabled: true, readsPerMinute: 1, writesPerMinute: 5 } });
    const created = await h.client.create({ name: 'second caller' });
    const other = h.as(created.body?.data?.attributes?.token as string);
    expect((await h.client.list()).status).toBe(200);
    expect((await h.client.list()).status).toBe(429);
    expect((await other.list()).status).toBe(200);
  });

  it('frees the key again once the window has passed', async () => {
    let now = 1_000_000;
    h = await harness({
      rateLimit: { enabled: true, readsPerMinute: 1, writesPerMinute: 1, windowMs: 60_000 },
      clock: () => now,
    });
    expect((await h.client.list()).status).toBe(200);
    now += 59_999;
    const limited = await h.client.list();
    expect(limited.status).toBe(429);
    expect(limited.body?.errors?.[0]?.meta?.retry_after).toBe(1);
    now += 1;
    expect((await h.client.list()).status).toBe(200);
  });

  it('switched off, never answers 429', async () => {
    h = await harness({ rateLimit: { enabled: false, readsPerMinute: 1 } });
    for (let i = 0; i < 5; i++) expect((await h.client.list()).status).toBe(200);
  });

  it('can be reconfigured on a running provider', async () => {
    h = await harness({ rateLimit: { enabled: false } });
    await h.client.list();
    h.provider.configureRateLimit({ enabled: true, readsPerMinute: 1 });
    expect((await h.client.list()).status).toBe(200);
    expect((await h.client.list()).status).toBe(429);
  });

  it('retry_after is the seconds left in the window, rounded up', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(
      { enabled: true, readsPerMinute: 1, windowMs: 60_000 },
      () => now,
    );
    expect(limiter.take('k', 'read')).toEqual({ allowed: true });
    now += 20_500;
    expect(limiter.take('k', 'read')).toEqual({ allowed: false, retryAfterSeconds: 40 });
    now += 39_500;
    expect(limiter.take('k', 'read')).toEqual({ allowed: true });
  });
});
