/**
 * Every check the conformance run knows, by stable code. Scripts filter on these codes
 * (`--only`/`--skip`, by code or by prefix such as `semantic`), reports are keyed by them, and
 * the README's table is this list. A code never changes meaning once published.
 */
export type CheckCategory =
  'schema' | 'semantic' | 'lifecycle' | 'security' | 'input' | 'transport';

export interface CheckInfo {
  title: string;
  category: CheckCategory;
  /** What the check asserts and why, in one sentence (the README table). */
  explains: string;
}

export const CHECKS = {
  // --- schema and protocol: the spec engine, on every response
  'response.status.undocumented': {
    category: 'schema',
    title: 'Undocumented HTTP status code',
    explains: 'A success answered with a status the spec does not document for the operation.',
  },
  'response.content_type.missing': {
    category: 'schema',
    title: 'Response has no Content-Type',
    explains: 'A response with a body but no Content-Type header.',
  },
  'response.content_type.mismatch': {
    category: 'schema',
    title: 'Response Content-Type is not the documented one',
    explains:
      'The media type differs from the documented one (application/vnd.api+json; parameters such as charset are fine).',
  },
  'response.body.missing': {
    category: 'schema',
    title: 'Response has no body where one is documented',
    explains: 'A response whose documented content is JSON came back empty.',
  },
  'response.body.unexpected': {
    category: 'schema',
    title: 'Response has a body where none is documented',
    explains: 'A response the spec documents without content came back with a body.',
  },
  'response.body.not_json': {
    category: 'schema',
    title: 'Response body is not JSON',
    explains: 'A JSON:API response whose body does not parse as JSON.',
  },
  'response.body.schema': {
    category: 'schema',
    title: 'Response body does not match the schema',
    explains:
      'The body breaks the documented schema: types, enums, nullable, and every format (ids, e-mail, RFC 3339 date-time).',
  },
  'response.error.schema': {
    category: 'schema',
    title: 'Error response is not a JSON:API error',
    explains:
      'A 4xx/5xx whose body is not a JSON:API errors[] document (error_object) of type application/vnd.api+json.',
  },
  // --- semantic: rules no schema states
  'semantic.token_last_slice': {
    category: 'semantic',
    title: "token_last_slice is the token's last 5 characters",
    explains:
      "On create and rotate the slice equals the token's last 5 characters; list and update show the current token's slice.",
  },
  'semantic.token_presence': {
    category: 'semantic',
    title: 'Token shown only on create and rotate',
    explains: 'create and rotate return the token; list and the settings update never do.',
  },
  'semantic.name_echoed': {
    category: 'semantic',
    title: 'Name comes back as sent',
    explains: 'The name in create and update responses equals the name sent.',
  },
  'semantic.read_only_echoed': {
    category: 'semantic',
    title: 'read_only comes back as sent',
    explains: 'The read_only flag in the response equals the one sent.',
  },
  'semantic.allowed_ips_echoed': {
    category: 'semantic',
    title: 'allowed_ips come back as sent',
    explains:
      'The same addresses and ranges, accepting the documented /32 and /128 suffix on single addresses.',
  },
  'semantic.timestamps_ordered': {
    category: 'semantic',
    title: 'created_at is not after updated_at',
    explains: 'created_at <= updated_at on every key the run sees.',
  },
  'semantic.last_used_at_null': {
    category: 'semantic',
    title: 'A new key has never been used',
    explains: 'last_used_at is null in the create response.',
  },
  'semantic.api_version': {
    category: 'semantic',
    title: "api_version is the spec's version",
    explains: "api_version equals the spec's info.version.",
  },
  'semantic.identity_stable': {
    category: 'semantic',
    title: 'id and type stay the same across rotate and update',
    explains: 'Rotating or updating a key keeps its id and its type.',
  },
  'semantic.user_consistent': {
    category: 'semantic',
    title: 'Every key belongs to the same user',
    explains: 'All keys the run creates report the same user id and e-mail.',
  },
  // --- lifecycle
  'lifecycle.created_key_listed': {
    category: 'lifecycle',
    title: 'A new key is listed',
    explains: 'The key just created appears in the list.',
  },
  'lifecycle.listed_without_token': {
    category: 'lifecycle',
    title: 'The listed key has no token',
    explains: 'The created key, as listed, carries no token.',
  },
  'lifecycle.new_token_authenticates': {
    category: 'lifecycle',
    title: 'Tokens from create and rotate work',
    explains:
      'The token returned by create, and the one returned by rotate, authenticate a request.',
  },
  'lifecycle.update_keeps_token': {
    category: 'lifecycle',
    title: 'A settings update leaves the token alone',
    explains: "After PATCH the key's token still works and its last slice is unchanged.",
  },
  'lifecycle.rotate_new_token': {
    category: 'lifecycle',
    title: 'Rotate gives a new token and slice',
    explains: 'PUT returns a token different from the old one, with its own last slice.',
  },
  'lifecycle.rotated_token_refused': {
    category: 'lifecycle',
    title: 'The rotated-away token is refused',
    explains: 'After rotate the old token gets 401.',
  },
  'lifecycle.delete_response': {
    category: 'lifecycle',
    title: 'Delete answers 200 {"meta":{}}',
    explains: 'Deleting a key answers 200 with the documented body.',
  },
  'lifecycle.deleted_token_refused': {
    category: 'lifecycle',
    title: "A deleted key's token is refused",
    explains: "After delete the key's token gets 401.",
  },
  'lifecycle.deleted_key_unlisted': {
    category: 'lifecycle',
    title: 'A deleted key is gone from the list',
    explains: 'After delete the key no longer appears in the list.',
  },
  'lifecycle.unknown_id_404': {
    category: 'lifecycle',
    title: 'An unknown id is 404',
    explains: 'Deleting an id that does not exist answers 404 with a JSON:API error.',
  },
  // --- security
  'security.no_credentials': {
    category: 'security',
    title: 'No credentials: 401',
    explains: 'A request without Authorization gets 401 with a JSON:API error.',
  },
  'security.wrong_token': {
    category: 'security',
    title: 'Wrong token: 401',
    explains: 'A request with a token the provider never issued gets 401 with a JSON:API error.',
  },
  'security.read_only_can_read': {
    category: 'security',
    title: 'A read-only key can read',
    explains: 'A read-only key can list keys (GET is allowed).',
  },
  'security.read_only_cannot_create': {
    category: 'security',
    title: 'A read-only key cannot create',
    explains: 'POST with a read-only key is refused (4xx) and creates nothing.',
  },
  'security.read_only_cannot_rotate': {
    category: 'security',
    title: 'A read-only key cannot rotate',
    explains: 'PUT with a read-only key is refused (4xx) and the token stays the same.',
  },
  'security.read_only_cannot_update': {
    category: 'security',
    title: 'A read-only key cannot update',
    explains: 'PATCH with a read-only key is refused (4xx) and the settings stay the same.',
  },
  'security.read_only_cannot_delete': {
    category: 'security',
    title: 'A read-only key cannot delete',
    explains: 'DELETE with a read-only key is refused (4xx) and the key stays.',
  },
  'security.ip_allowlist': {
    category: 'security',
    title: 'allowed_ips is enforced',
    explains:
      'A key restricted to 192.0.2.0/24 (a documentation range no runner is in) is refused.',
  },
  'security.token_not_writable': {
    category: 'security',
    title: 'data.attributes.token cannot be set',
    explains:
      "A create that sends its own token is refused (400) or gets a token of the provider's choosing.",
  },
  // --- negative input
  'input.missing_name': {
    category: 'input',
    title: 'Missing name is refused',
    explains: 'Create without a name gets a 4xx JSON:API error and creates nothing.',
  },
  'input.wrong_type': {
    category: 'input',
    title: 'Wrong data.type is refused',
    explains: 'Create with data.type other than api_keys gets a 4xx JSON:API error.',
  },
  'input.invalid_allowed_ips': {
    category: 'input',
    title: 'Invalid allowed_ips are refused',
    explains: 'Create with allowed_ips that are not addresses or ranges gets a 4xx JSON:API error.',
  },
  'input.non_json_body': {
    category: 'input',
    title: 'A body that is not JSON is refused',
    explains: 'A malformed JSON body gets a 4xx JSON:API error, never a 5xx.',
  },
  'input.unsupported_content_type': {
    category: 'input',
    title: 'An unsupported content type is refused',
    explains: 'A text/plain body gets a 4xx (415) JSON:API error.',
  },
  'input.long_name': {
    category: 'input',
    title: 'A 10,000-character name is refused cleanly',
    explains: 'A 10,000-character name gets a 4xx JSON:API error, never a 5xx.',
  },
  'input.non_ascii_name': {
    category: 'input',
    title: 'A non-ASCII name is kept byte for byte',
    explains: 'A name with accents, CJK and an emoji is accepted and echoed unchanged.',
  },
  'input.fuzz': {
    category: 'input',
    title: 'Generated invalid bodies are refused cleanly',
    explains:
      'fast-check generated invalid create bodies each get a 4xx JSON:API error (never 5xx, never a key).',
  },
  // --- transport
  'transport.timeout': {
    category: 'transport',
    title: 'Every request is answered in time',
    explains:
      'A request that gets no answer within the timeout (default 10 s) is a finding, not a hang.',
  },
  'transport.rate_limited': {
    category: 'transport',
    title: 'Rate limits are survivable',
    explains:
      'A 429 is retried after meta.retry_after/Retry-After a bounded number of times; still 429 after that is a finding.',
  },
} as const satisfies Record<string, CheckInfo>;

export type CheckCode = keyof typeof CHECKS;

export const CHECK_CODES = Object.keys(CHECKS) as CheckCode[];

export function isCheckCode(code: string): code is CheckCode {
  return Object.prototype.hasOwnProperty.call(CHECKS, code);
}

/** Codes selected by --only/--skip entries, each a full code or a dotted prefix. */
export function selectChecks(
  only: string[] | undefined,
  skip: string[] | undefined,
): {
  selected: Set<CheckCode>;
  unknown: string[];
} {
  const matches = (pattern: string) =>
    CHECK_CODES.filter((c) => c === pattern || c.startsWith(pattern + '.'));
  const unknown = [...(only ?? []), ...(skip ?? [])].filter((p) => matches(p).length === 0);
  const base = only && only.length > 0 ? only.flatMap(matches) : CHECK_CODES;
  const skipped = new Set((skip ?? []).flatMap(matches));
  return { selected: new Set(base.filter((c) => !skipped.has(c))), unknown };
}
