import { ApiKeysClient } from '../../src/client';
import { Pacer, retryAfterMs } from '../../src/conformance/pacer';

/** A fake clock: sleeping advances time, so minute-long waits take no time at all. */
function clock() {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

const jsonApi429 = (retryAfter: number) =>
  new Response(
    JSON.stringify({
      errors: [{ code: 'RATE_LIMIT_EXCEEDED', status: '429', meta: { retry_after: retryAfter } }],
    }),
    { status: 429, headers: { 'content-type': 'application/vnd.api+json' } },
  );

describe('pacing below the rate limits', () => {
  it('lets 20 writes a minute through per key and makes the 21st wait for the window', async () => {
    const c = clock();
    const pacer = new Pacer({
      readsPerMinute: 60,
      writesPerMinute: 20,
      maxRetries: 3,
      maxRetryWaitMs: 120_000,
      ...c,
    });
    for (let i = 0; i < 20; i++) await pacer.acquire('key-a', true);
    expect(c.waits).toEqual([]);
    await pacer.acquire('key-a', true);
    expect(c.waits).toHaveLength(1);
    expect(c.waits[0]).toBeGreaterThanOrEqual(60_000);
    // Reads and other keys have budgets of their own.
    await pacer.acquire('key-a', false);
    await pacer.acquire('key-b', true);
    expect(c.waits).toHaveLength(1);
  });

  it('does not pace at all with 0 per minute', async () => {
    const c = clock();
    const pacer = new Pacer({
      readsPerMinute: 0,
      writesPerMinute: 0,
      maxRetries: 0,
      maxRetryWaitMs: 0,
      ...c,
    });
    const ok = async () => new Response('{}', { status: 200 });
    for (let i = 0; i < 500; i++) {
      await pacer.policy(ok, { method: i % 2 === 0 ? 'POST' : 'GET', authorization: 'k' });
    }
    expect(c.waits).toEqual([]);
    expect(pacer.stats).toMatchObject({ reads: 250, writes: 250 });
  });

  it('retries a 429 after meta.retry_after, a bounded number of times', async () => {
    const c = clock();
    const pacer = new Pacer({
      readsPerMinute: 0,
      writesPerMinute: 0,
      maxRetries: 2,
      maxRetryWaitMs: 120_000,
      ...c,
    });
    let calls = 0;
    const attempt = async () => {
      calls++;
      return jsonApi429(7);
    };
    const res = await pacer.policy(attempt, { method: 'POST', authorization: 'k' });
    expect(res.status).toBe(429);
    expect(calls).toBe(3);
    expect(c.waits).toEqual([7000, 7000]);
    // One request, retried twice: the report counts it once, and the retries apart.
    expect(pacer.stats).toMatchObject({ writes: 1, retries: 2 });
  });

  it('returns the answer once the 429 clears', async () => {
    const c = clock();
    const pacer = new Pacer({
      readsPerMinute: 0,
      writesPerMinute: 0,
      maxRetries: 3,
      maxRetryWaitMs: 120_000,
      ...c,
    });
    const answers = [jsonApi429(1), new Response('{}', { status: 200 })];
    const res = await pacer.policy(async () => answers.shift()!, {
      method: 'GET',
      authorization: undefined,
    });
    expect(res.status).toBe(200);
    expect(pacer.stats.retries).toBe(1);
  });

  it('reads the wait from Retry-After when the body has none, and defaults to a minute', async () => {
    expect(
      await retryAfterMs(
        new Response('slow down', { status: 429, headers: { 'retry-after': '3' } }),
      ),
    ).toBe(3000);
    expect(await retryAfterMs(new Response('slow down', { status: 429 }))).toBe(60_000);
  });

  it('stops a pacing wait when the run is interrupted', async () => {
    const controller = new AbortController();
    const pacer = new Pacer({
      readsPerMinute: 1,
      writesPerMinute: 1,
      maxRetries: 0,
      maxRetryWaitMs: 0,
      signal: controller.signal,
    });
    await pacer.acquire('k', true);
    const waiting = pacer.acquire('k', true);
    setTimeout(() => controller.abort('SIGINT'), 10);
    await expect(waiting).rejects.toThrow(/interrupted/);
  });

  it('sends each attempt anew, so a long wait never eats into the request timeout', async () => {
    const c = clock();
    const pacer = new Pacer({
      readsPerMinute: 0,
      writesPerMinute: 1,
      maxRetries: 1,
      maxRetryWaitMs: 120_000,
      ...c,
    });
    const sentAt: number[] = [];
    const attempt = async () => {
      sentAt.push(c.now());
      return sentAt.length === 1 ? new Response('{}', { status: 200 }) : jsonApi429(30);
    };
    await pacer.policy(attempt, { method: 'DELETE', authorization: 'k' });
    await pacer.policy(attempt, { method: 'DELETE', authorization: 'k' });
    // The second delete waited for the budget, was sent, got a 429, and was sent again later.
    expect(sentAt).toHaveLength(3);
    expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(60_000);
    expect(sentAt[2] - sentAt[1]).toBeGreaterThanOrEqual(30_000);
  });

  it('gives the client a fresh timeout after a pacing wait longer than the timeout', async () => {
    const client = new ApiKeysClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 't',
      timeoutMs: 20,
      fetch: (async (_url: string, init: RequestInit) => {
        if (init.signal?.aborted)
          throw Object.assign(new Error('aborted'), { name: 'TimeoutError' });
        return new Response('{"data":[]}', { status: 200 });
      }) as unknown as typeof fetch,
      // A wait for the rate budget five times the request timeout.
      sendPolicy: async (attempt) => {
        await new Promise((r) => setTimeout(r, 100));
        return attempt();
      },
    });
    await expect(client.list()).resolves.toMatchObject({ status: 200 });
  });
});
