import type { FaultName } from './faults';
import { lastSlice } from './ids';
import type { StoredKey } from './store';

/** RFC 3339 in UTC with a numeric offset and whole seconds, as the API writes it: `2026-01-14T15:56:29+00:00`. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The same instant with no offset at all (the naive-timestamp fault). */
export function naiveTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '');
}

/** Each hex digit moved by one, so the result never equals the real slice. */
function wrongSlice(token: string): string {
  return [...lastSlice(token)]
    .map((c) => {
      const n = parseInt(c, 16);
      return Number.isNaN(n) ? (c === 'x' ? 'y' : 'x') : ((n + 1) % 16).toString(16);
    })
    .join('');
}

export interface SerializeContext {
  apiVersion: string;
  faults: ReadonlySet<FaultName>;
  /** Whether this response shows the key's full token (create and rotate only). */
  showToken: boolean;
}

/** A stored key as the JSON:API `api_key` resource, with any active output faults applied. */
export function toResource(key: StoredKey, ctx: SerializeContext): Record<string, unknown> {
  const f = ctx.faults;
  const stamp = (d: Date) => (f.has('naive-timestamp') ? naiveTimestamp(d) : rfc3339(d));

  let name: string | null = key.name;
  if (f.has('name-not-echoed')) name = [...key.name].slice(0, 20).join('');
  if (f.has('non-ascii-mangled')) name = name.replace(/[^\p{ASCII}]/gu, '?');
  if (f.has('null-in-non-nullable')) name = null;

  let createdAt: string | null = stamp(key.createdAt);
  const updatedAt = stamp(key.updatedAt);
  if (f.has('created-after-updated')) {
    createdAt = stamp(
      new Date(Math.max(key.createdAt.getTime(), key.updatedAt.getTime()) + 3_600_000),
    );
  }
  if (f.has('null-in-non-nullable')) createdAt = null;

  const allowedIps = f.has('allowed-ips-dropped') ? [] : [...key.allowedIps];

  const attributes: Record<string, unknown> = { name };
  if (ctx.showToken && !f.has('missing-token')) attributes.token = key.token;
  attributes.token_last_slice = f.has('wrong-last-slice')
    ? wrongSlice(key.token)
    : lastSlice(key.token);
  attributes.api_version = f.has('wrong-api-version')
    ? otherVersion(ctx.apiVersion)
    : ctx.apiVersion;
  const readOnly = f.has('read-only-not-echoed') ? false : key.readOnly;
  attributes.read_only = f.has('read-only-string') ? String(readOnly) : readOnly;
  attributes.allowed_ips = f.has('allowed-ips-string') ? allowedIps.join(',') : allowedIps;
  attributes.created_at = createdAt;
  attributes.updated_at = updatedAt;
  attributes.last_used_at = key.lastUsedAt ? stamp(key.lastUsedAt) : null;
  attributes.user = {
    id: key.user.id,
    email: f.has('bad-email') ? key.user.email.replace('@', ' at ') : key.user.email,
  };
  if (f.has('extra-fields')) {
    attributes.description = null;
    attributes.scopes = ['api_keys:read', 'api_keys:write'];
  }
  return { id: key.id, type: f.has('wrong-type') ? 'api_key' : 'api_keys', attributes };
}

function otherVersion(version: string): string {
  return version === '2022-01-01' ? '2021-01-01' : '2022-01-01';
}
