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
    for (let i = 0; i < 500; i++) await pacer.acquire('k', i % 2 === 0);
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
    const fetch429 = (async () => {
      calls++;
      return jsonApi429(7);
    }) as typeof fetch;
    const res = await pacer.wrap(fetch429)('http://127.0.0.1/x', { method: 'POST' });
    expect(res.status).toBe(429);
    expect(calls).toBe(3);
    expect(c.waits).toEqual([7000, 7000]);
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
    const res = await pacer.wrap((async () => answers.shift()!) as typeof fetch)('http://x', {});
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
});
