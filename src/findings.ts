/**
 * A finding is data, never a bare string: reports, exit codes and console lines are all built
 * from these fields. `code` is stable (scripts and CI filters depend on it); `title` is for people.
 */
export interface Finding {
  /** Stable dotted code, e.g. `response.body.schema`, `semantic.token_last_slice`. */
  code: string;
  /** Human title of the rule, e.g. "Response body does not match the schema". */
  title: string;
  /** operationId the finding belongs to, or `-` when none could be matched. */
  operation: string;
  /** JSON pointer into the message body ('' for the whole body or a non-body finding). */
  pointer: string;
  /** The documented rule or value. */
  expected: unknown;
  /** What was actually received (already redacted where it could hold a secret). */
  received: unknown;
  /** One sentence: what is wrong, in the "Received / Documented" style. */
  message: string;
  /** Where in the spec the rule lives, e.g. `#/paths/~1auth~1api_keys/post/responses/201`. */
  specLocation?: string;
}

/** JSON pointer (RFC 6901) for a path of keys and indices. */
export function jsonPointer(path: ReadonlyArray<string | number>): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
