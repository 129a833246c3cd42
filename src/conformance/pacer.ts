import type { SendPolicy } from '../client';

/**
 * Keeps a run inside the provider's rate limits (per API key: 60 GET and 20 writes a minute by
 * default) and survives the 429s it still meets. It is the client's send policy, so the client needs
 * no knowledge of it. Keys are told apart by their Authorization value, which stays in memory only.
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

  /**
   * Cleanup after an interruption must not sit out a minute of budget while the runner waits to
   * kill the job: its deletes go out at once, and a 429 is still retried after retry_after.
   */
  budgetless = false;

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
  }

  /**
   * The client's send policy: every attempt waits for the key's budget, then goes out as a fresh
   * request (with its own timeout); a 429 is retried after meta.retry_after or Retry-After.
   */
  readonly policy: SendPolicy = async (attempt, request) => {
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    const key = request.authorization ?? '';
    if (write) this.stats.writes++;
    else this.stats.reads++;
    for (let tries = 0; ; tries++) {
      if (!this.budgetless) await this.acquire(key, write);
      const res = await attempt();
      if (res.status !== 429 || tries >= this.options.maxRetries) return res;
      const wait = Math.min(await retryAfterMs(res), this.options.maxRetryWaitMs);
      this.stats.retries++;
      this.stats.waitedMs += wait;
      this.options.onWait?.(
        wait,
        `429 from the provider (retry ${tries + 1}/${this.options.maxRetries})`,
      );
      await this.sleep(wait);
    }
  };
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
