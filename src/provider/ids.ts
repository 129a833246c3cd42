import { randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

/** A token shaped like the real ones: 36 lower-case hex characters. */
export function newToken(): string {
  return randomBytes(18).toString('hex');
}

/** `tok_` + 13 base62 characters, like `tok_ez2A3DVldnawP`. */
export function newKeyId(separator = '_'): string {
  return `tok${separator}${base62(13)}`;
}

/** `user_` + 27 base62 characters, like `user_pVkpyK2aoVUlax6Zzx1pfrGe4wr`. */
export function newUserId(): string {
  return `user_${base62(27)}`;
}

/** The last 5 characters of a token: what the API shows as `token_last_slice`. */
export function lastSlice(token: string): string {
  return token.slice(-5);
}
