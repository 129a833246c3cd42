/**
 * Secrets never reach a report, log or console line. Every value that may be one passes through
 * here and comes out as a fixed marker plus at most its last 5 characters (the same slice the
 * provider itself shows as `token_last_slice`, so nothing new is disclosed).
 */
export const REDACTED = '[REDACTED]';

/** A token redacted to the marker and its last 5 characters (fewer for very short values). */
export function redactToken(token: string): string {
  const tail = token.length > 10 ? token.slice(-5) : '';
  return tail ? `${REDACTED}…${tail}` : REDACTED;
}

/**
 * Scrubs text of every secret it knows and of anything shaped like a credential: Authorization
 * values and 36-hex tokens (the provider's token shape). Keeps a registry so that tokens created
 * during a run are scrubbed from everything written afterwards.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  constructor(initial: Iterable<string | undefined> = []) {
    for (const s of initial) this.add(s);
  }

  add(secret: string | undefined | null): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  scrub(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(redactToken(s));
    }
    out = out.replace(
      /(authorization["']?\s*[:=]\s*["']?)(bearer\s+)?([^\s"',}]+)/gi,
      (_m, p, b, v) => (v.startsWith(REDACTED) ? _m : `${p}${b ?? ''}${redactToken(v)}`),
    );
    out = out.replace(/(?<![0-9a-f])[0-9a-f]{36}(?![0-9a-f])/g, (t) => redactToken(t));
    return out;
  }

  /** Deep copy of a JSON value with every string scrubbed and `token`/`authorization` keys redacted. */
  scrubValue<T>(value: T): T {
    const walk = (v: unknown, key?: string): unknown => {
      if (typeof v === 'string') {
        if (key && /^(token|authorization|password|secret)$/i.test(key)) return redactToken(v);
        return this.scrub(v);
      }
      if (Array.isArray(v)) return v.map((x) => walk(x));
      if (v && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
      }
      return v;
    };
    return walk(value) as T;
  }
}
