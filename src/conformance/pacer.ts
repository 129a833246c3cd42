/**
 * Keeps a run inside the provider's rate limits (per API key: 60 GET and 20 writes a minute by
 * default) and survives the 429s it still meets. Wraps fetch, so the client needs no knowledge
 * of it. Keys are told apart by their Authorization value, which stays in memory only.
 */
export interface PacerOptions {
  /** Requests per minute per key; 0 = unpaced. */
  readsPerMinute: number;
  writesPerMinute: number;
  /** How many times a 429 is retried before it is handed back to the caller. */
  maxRetries: number;
  /** Longest wait for one 429 retry, in ms (a provider asking for more gets this much). */
  maxRetryWaitMs: number;
  /** Told about every wait, so the console can say why the run is idle. */
  onWait?: (ms: number, reason: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Ends a wait early; the request then fails with PacingInterrupted instead of going out. */
  signal?: AbortSignal;
}

/** A pacing wait was cut short by the run's abort signal: the request was never sent. */
export class PacingInterrupted extends Error {
  constructor() {
    super('interrupted while waiting for the rate budget');
    this.name = 'PacingInterrupted';
  }
}

const WINDOW_MS = 60_000;

export interface PacerStats {
  reads: number;
  writes: number;
  retries: number;
  waitedMs: number;
}

export class Pacer {
  private readonly sent = new Map<string, number[]>();
  readonly stats: PacerStats = { reads: 0, writes: 0, retries: 0, waitedMs: 0 };
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: PacerOptions) {
    this.sleep = options.sleep ?? ((ms) => this.interruptibleSleep(ms));
    this.now = options.now ?? Date.now;
  }

  /**
   * Waits are interruptible while the run is going (a user pressing Ctrl-C during a minute-long
   * wait is answered at once); cleanup switches this off, since its deletes must go out.
   */
  interruptible = true;

  private interruptibleSleep(ms: number): Promise<void> {
    const signal = this.options.signal;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (!this.interruptible) return;
        done();
        reject(new PacingInterrupted());
      };
      const timer = setTimeout(() => {
        done();
        resolve();
      }, ms);
      if (signal?.aborted && this.interruptible) onAbort();
      else signal?.addEventListener('abort', onAbort);
    });
  }

  /** Waits until one more request of this kind fits in the key's window, then counts it. */
  async acquire(key: string, write: boolean): Promise<void> {
    const limit = write ? this.options.writesPerMinute : this.options.readsPerMinute;
    const bucket = `${write ? 'w' : 'r'}:${key}`;
    const times = this.sent.get(bucket) ?? [];
    this.sent.set(bucket, times);
    if (limit > 0) {
      for (;;) {
        const now = this.now();
        while (times.length > 0 && times[0] <= now - WINDOW_MS) times.shift();
        if (times.length < limit) break;
        // A little over the window, so clock skew between us and the provider cannot tip it.
        const wait = times[0] + WINDOW_MS + 250 - now;
        this.options.onWait?.(wait, `${write ? 'write' : 'read'} budget of ${limit}/min`);
        this.stats.waitedMs += wait;
        await this.sleep(wait);
      }
    }
    times.push(this.now());
    if (write) this.stats.writes++;
    else this.stats.reads++;
  }

  /** fetch that paces every request and retries 429 after meta.retry_after or Retry-After. */
  wrap(base: typeof fetch): typeof fetch {
    return async (input, init) => {
      const method = (init?.method ?? 'GET').toUpperCase();
      const write = method !== 'GET' && method !== 'HEAD';
      const key = headerValue(init?.headers, 'authorization') ?? '';
      for (let attempt = 0; ; attempt++) {
        await this.acquire(key, write);
        const res = await base(input, init);
        if (res.status !== 429 || attempt >= this.options.maxRetries) return res;
        const wait = Math.min(await retryAfterMs(res), this.options.maxRetryWaitMs);
        this.stats.retries++;
        this.stats.waitedMs += wait;
        this.options.onWait?.(
          wait,
          `429 from the provider (retry ${attempt + 1}/${this.options.maxRetries})`,
        );
        await this.sleep(wait);
      }
    };
  }
}

function headerValue(headers: RequestInit['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (Array.isArray(headers)) return headers.find(([k]) => k.toLowerCase() === name)?.[1];
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  return hit ? String(hit[1]) : undefined;
}

/** Seconds from the JSON:API body's meta.retry_after, else the Retry-After header, else 60. */
export async function retryAfterMs(res: Response): Promise<number> {
  try {
    const body = (await res.clone().json()) as {
      errors?: Array<{ meta?: { retry_after?: unknown } }>;
    };
    const s = Number(body?.errors?.[0]?.meta?.retry_after);
    if (Number.isFinite(s) && s >= 0) return s * 1000;
  } catch {
    // Not JSON: fall through to the header.
  }
  const header = res.headers.get('retry-after');
  if (header) {
    const s = Number(header);
    if (Number.isFinite(s) && s >= 0) return s * 1000;
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  return 60_000;
}
