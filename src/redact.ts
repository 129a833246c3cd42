/**
 * Secrets never reach a report, log or console line. Every value that may be one passes through
 * here and comes out as a fixed marker plus at most its last 5 characters (the same slice the
 * provider itself shows as `token_last_slice`, so nothing new is disclosed).
 */
export const REDACTED = '[REDACTED]';

/**
 * An Authorization value written in text (`Authorization: Bearer …`, `"authorization": "…"`,
 * `authorization=…`), for text that is not JSON: the contract scan (src/contracts/secrets.ts)
 * and the scrubbing of output here must recognise the same values. Groups: 1 the name and
 * separator, 2 the auth scheme with its space (optional), 3 the credential. Global: use with
 * matchAll or replace.
 */
export const AUTHORIZATION_IN_TEXT =
  /(authorization["']?\s*[:=]\s*["']?)((?:bearer|basic|token)\s+)?([^\s"',}]+)/gi;

/** Key names whose values are credentials: never copied into a finding, redacted in reports. */
export const SECRET_KEY_PATTERN =
  /^(token|authorization|password|secret|api_key|access_key|secret_key)$/i;

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
    out = out.replace(AUTHORIZATION_IN_TEXT, (_m, p, b, v) =>
      v.startsWith(REDACTED) ? _m : `${p}${b ?? ''}${redactToken(v)}`,
    );
    out = out.replace(/(?<![0-9a-f])[0-9a-f]{36}(?![0-9a-f])/g, (t) => redactToken(t));
    return out;
  }

  /** Deep copy of a JSON value with every string scrubbed and `token`/`authorization` keys redacted. */
  scrubValue<T>(value: T): T {
    const walk = (v: unknown, key?: string): unknown => {
      if (typeof v === 'string') {
        if (key && SECRET_KEY_PATTERN.test(key)) return redactToken(v);
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
