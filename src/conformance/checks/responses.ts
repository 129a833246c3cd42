import type { ApiResponse } from '../../client';
import { fail, pass, Verdict } from '../verdict';

/**
 * Rules about whole responses: refused requests, JSON:API error bodies, the delete body.
 */

export function isJsonApiError(res: ApiResponse<unknown>): boolean {
  const errors = (res.body as { errors?: unknown } | undefined)?.errors;
  return (
    Array.isArray(errors) && errors.length > 0 && errors.every((e) => e && typeof e === 'object')
  );
}

/** A refusal is only useful to a client when it says why, as a JSON:API errors[] document. */
function withJsonApiError(res: ApiResponse<unknown>, what: string): Verdict {
  return isJsonApiError(res)
    ? pass()
    : fail(`${what} was refused without a JSON:API errors[] body`, 'errors[]', res.rawBody);
}

/** A refused request: the given statuses, with a JSON:API error body. */
export function refusedWith(res: ApiResponse<unknown>, statuses: number[], what: string): Verdict {
  if (!statuses.includes(res.status)) {
    return fail(`${what} was answered ${res.status}`, statuses.join(' or '), res.status);
  }
  return withJsonApiError(res, what);
}

/** Bad input: a 4xx with a JSON:API error; never a 5xx, never a created key. */
export function refusedAsClientError(res: ApiResponse<unknown>, what: string): Verdict {
  if (res.status >= 500) {
    return fail(
      `${what} made the provider fail (${res.status})`,
      '4xx with a JSON:API error',
      res.status,
    );
  }
  if (res.status < 400) {
    return fail(`${what} was accepted (${res.status})`, '4xx with a JSON:API error', res.status);
  }
  return withJsonApiError(res, what);
}

/** A request that must work: 2xx. */
export function succeeded(res: ApiResponse<unknown>, what: string): Verdict {
  return res.status >= 200 && res.status < 300
    ? pass()
    : fail(`${what} was answered ${res.status}`, '2xx', res.status);
}

export function deleteBody(res: ApiResponse<unknown>): Verdict {
  if (res.status !== 200) return fail('delete was not answered 200', 200, res.status);
  const body = res.body as Record<string, unknown> | undefined;
  const meta = body?.meta;
  const onlyMeta = body && Object.keys(body).every((k) => k === 'meta');
  return meta && typeof meta === 'object' && onlyMeta
    ? pass()
    : fail('delete did not answer {"meta":{}}', { meta: {} }, res.rawBody);
}
