/** A parsed `Content-Type`: lower-case `type/subtype`, parameters ignored for matching. */
export interface MediaType {
  /** e.g. `application/vnd.api+json` */
  essence: string;
  type: string;
  subtype: string;
}

const cache = new Map<string, MediaType | undefined>();
const CACHE_LIMIT = 256;

/** Parses a Content-Type value; undefined when it is not `type/subtype`. Cached: headers repeat. */
export function parseMediaType(value: string): MediaType | undefined {
  const hit = cache.get(value);
  if (hit !== undefined || cache.has(value)) return hit;
  const essence = value.split(';', 1)[0].trim().toLowerCase();
  const m = /^([a-z0-9!#$%&'*+.^_`|~-]+)\/([a-z0-9!#$%&'*+.^_`|~-]+)$/.exec(essence);
  const parsed = m ? { essence, type: m[1], subtype: m[2] } : undefined;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(value, parsed);
  return parsed;
}

/** `application/json`, `text/json` and any `+json` suffix type carry a JSON body. */
export function isJsonMediaType(mt: MediaType): boolean {
  return mt.subtype === 'json' || mt.subtype.endsWith('+json');
}

/**
 * The documented media type a received one matches: exact essence first, then `type/*`, then
 * `*\/*`. Parameters such as `charset` never matter. Returns the documented key, or undefined.
 */
export function matchDocumentedMediaType(
  received: MediaType,
  documented: readonly string[],
): string | undefined {
  let wildcard: string | undefined;
  let any: string | undefined;
  for (const d of documented) {
    const mt = parseMediaType(d);
    if (!mt) continue;
    if (mt.essence === received.essence) return d;
    if (mt.subtype === '*' && mt.type === received.type) wildcard ??= d;
    if (mt.essence === '*/*') any ??= d;
  }
  return wildcard ?? any;
}

/** Reads one header from a header map whatever the case of its name; first value of a list. */
export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  let v = headers[name];
  if (v === undefined) {
    for (const k in headers) {
      if (k.length === name.length && k.toLowerCase() === name) {
        v = headers[k];
        break;
      }
    }
  }
  return Array.isArray(v) ? v[0] : v;
}
