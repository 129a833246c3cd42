/**
 * Per-key rate limits as the docs describe them: 60 GET and 20 POST/PUT/PATCH/DELETE a minute for
 * each API key. A fixed window per key and per class, opened by the key's first request in it.
 */
export interface RateLimitOptions {
  enabled: boolean;
  readsPerMinute?: number;
  writesPerMinute?: number;
  /** The window length; tests shorten it (the limits still apply per window). Default 60 000. */
  windowMs?: number;
}

export type RequestClass = 'read' | 'write';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Window {
  startedAt: number;
  count: number;
}

export const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = {
  enabled: true,
  readsPerMinute: 60,
  writesPerMinute: 20,
  windowMs: 60_000,
};

export class RateLimiter {
  private settings: Required<RateLimitOptions>;
  private readonly windows = new Map<string, Window>();

  constructor(
    options: Partial<RateLimitOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.settings = { ...DEFAULT_RATE_LIMIT, ...withoutUndefined(options) };
  }

  configure(options: Partial<RateLimitOptions>): void {
    this.settings = { ...this.settings, ...withoutUndefined(options) };
    this.windows.clear();
  }

  get options(): Required<RateLimitOptions> {
    return { ...this.settings };
  }

  /** Counts one request by `keyId`; a request it refuses (429) is not counted. */
  take(keyId: string, kind: RequestClass): RateDecision {
    if (!this.settings.enabled) return { allowed: true };
    const limit = kind === 'read' ? this.settings.readsPerMinute : this.settings.writesPerMinute;
    const slot = `${kind}:${keyId}`;
    const now = this.now();
    let window = this.windows.get(slot);
    if (!window || now - window.startedAt >= this.settings.windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(slot, window);
    }
    if (window.count >= limit) {
      const msLeft = window.startedAt + this.settings.windowMs - now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) };
    }
    window.count++;
    return { allowed: true };
  }
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
