import type { ApiKey } from '../../client';
import { fail, pass, Verdict } from '../verdict';

/**
 * Rules about a single key document that no schema states. Each takes what the run saw and
 * returns a Verdict; the runner decides when to call them.
 */

const attr = (key: ApiKey | undefined) => key?.attributes ?? {};

/** `token_last_slice` is the last 5 characters of `token` (on create and rotate). */
export function tokenLastSliceMatchesToken(key: ApiKey | undefined): Verdict {
  const { token, token_last_slice: slice } = attr(key);
  if (typeof token !== 'string') return pass('no token to compare (see semantic.token_presence)');
  const expected = token.slice(-5);
  return slice === expected
    ? pass()
    : fail(
        "token_last_slice is not the token's last 5 characters",
        expected,
        slice,
        '/data/attributes/token_last_slice',
      );
}

/** A listed or updated key shows the slice of the token it currently has. */
export function lastSliceIsCurrent(key: ApiKey | undefined, currentToken: string): Verdict {
  const slice = attr(key).token_last_slice;
  const expected = currentToken.slice(-5);
  return slice === expected
    ? pass()
    : fail(
        "token_last_slice is not the current token's last 5 characters",
        expected,
        slice,
        '/data/attributes/token_last_slice',
      );
}

/** create and rotate must show the token. */
export function tokenShown(key: ApiKey | undefined, where: string): Verdict {
  const token = attr(key).token;
  return typeof token === 'string' && token.length > 0
    ? pass()
    : fail(
        `${where} response carries no token`,
        'a non-empty token',
        token ?? null,
        '/data/attributes/token',
      );
}

/** list and update must never show the token. */
export function tokenHidden(key: ApiKey | undefined, where: string, pointer: string): Verdict {
  const a = attr(key);
  return 'token' in a && a.token !== undefined && a.token !== null
    ? fail(
        `${where} shows a token`,
        'no token attribute',
        '[a token]',
        `${pointer}/attributes/token`,
      )
    : pass();
}

export function nameEchoed(key: ApiKey | undefined, sent: string): Verdict {
  const got = attr(key).name;
  if (got === sent) return pass();
  const sameBytes = typeof got === 'string' && Buffer.from(got).equals(Buffer.from(sent));
  return sameBytes
    ? pass()
    : fail('the name came back different from the one sent', sent, got, '/data/attributes/name');
}

export function readOnlyEchoed(key: ApiKey | undefined, sent: boolean): Verdict {
  const got = attr(key).read_only;
  return got === sent
    ? pass()
    : fail(
        'read_only came back different from the one sent',
        sent,
        got,
        '/data/attributes/read_only',
      );
}

/** A single address may come back with the documented /32 (IPv4) or /128 (IPv6) suffix. */
export function normaliseAllowedIp(ip: string): string {
  const s = ip.trim().toLowerCase();
  if (s.endsWith('/32') && !s.includes(':')) return s.slice(0, -3);
  if (s.endsWith('/128') && s.includes(':')) return s.slice(0, -4);
  return s;
}

export function allowedIpsEchoed(key: ApiKey | undefined, sent: string[]): Verdict {
  const got = attr(key).allowed_ips;
  if (sent.length === 0 && (got === null || (Array.isArray(got) && got.length === 0)))
    return pass();
  if (!Array.isArray(got)) {
    return fail(
      'allowed_ips did not come back as a list',
      sent,
      got,
      '/data/attributes/allowed_ips',
    );
  }
  const want = sent.map(normaliseAllowedIp).sort();
  const have = got
    .map((ip) => (typeof ip === 'string' ? normaliseAllowedIp(ip) : String(ip)))
    .sort();
  const same = want.length === have.length && want.every((ip, i) => ip === have[i]);
  return same
    ? pass()
    : fail(
        'allowed_ips came back different from the ones sent (a /32 or /128 suffix on single addresses is accepted)',
        sent,
        got,
        '/data/attributes/allowed_ips',
      );
}

export function timestampsOrdered(key: ApiKey | undefined): Verdict {
  const { created_at: c, updated_at: u } = attr(key);
  const tc = typeof c === 'string' ? Date.parse(c) : NaN;
  const tu = typeof u === 'string' ? Date.parse(u) : NaN;
  if (Number.isNaN(tc) || Number.isNaN(tu)) {
    return pass('timestamps not comparable (see response.body.schema)');
  }
  return tc <= tu
    ? pass()
    : fail(
        'created_at is later than updated_at',
        `created_at <= ${u}`,
        c,
        '/data/attributes/created_at',
      );
}

export function lastUsedAtNull(key: ApiKey | undefined): Verdict {
  const got = attr(key).last_used_at;
  return got === null || got === undefined
    ? pass()
    : fail(
        'a key that was never used has last_used_at set',
        null,
        got,
        '/data/attributes/last_used_at',
      );
}

export function apiVersionIsSpecVersion(key: ApiKey | undefined, specVersion: string): Verdict {
  const got = attr(key).api_version;
  return got === specVersion
    ? pass()
    : fail(
        "api_version is not the spec's info.version",
        specVersion,
        got,
        '/data/attributes/api_version',
      );
}

/** Rotate and update keep the key's id and type. */
export function identityStable(before: ApiKey | undefined, after: ApiKey | undefined): Verdict {
  if (after?.id !== before?.id) {
    return fail('the key changed its id', before?.id, after?.id, '/data/id');
  }
  if (after?.type !== before?.type) {
    return fail('the key changed its type', before?.type, after?.type, '/data/type');
  }
  return pass();
}

/** Every key belongs to the user of the first key seen. */
export function sameUser(first: ApiKey | undefined, other: ApiKey | undefined): Verdict {
  const a = attr(first).user;
  const b = attr(other).user;
  return a?.id === b?.id && a?.email === b?.email
    ? pass()
    : fail('keys of one account report different users', a?.id, b?.id, '/data/attributes/user');
}
