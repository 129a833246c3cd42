/**
 * The fault catalogue: named deviations the reference provider can be started with. Each is how
 * the project's own tests prove that a check catches the defect it exists for, and how the SDK
 * matrix shows what each SDK tolerates. One line each says what changes.
 *
 * `specLegal` marks deviations the spec and the facts allow (a conformant provider may behave so):
 * the conformance run must pass with them; they exist for the SDK compatibility matrix.
 */
export interface FaultInfo {
  description: string;
  specLegal?: boolean;
}

export const FAULTS = {
  // --- response shape and schema
  'hyphenated-id': { description: 'key ids use a hyphen (tok-abc123) instead of the tok_ form' },
  'naive-timestamp': { description: 'created_at/updated_at have no offset (2026-01-14T15:56:29)' },
  'bad-email': { description: 'user.email is not an e-mail address' },
  'wrong-type': { description: 'resources come back with type "api_key"' },
  'read-only-string': { description: 'read_only comes back as the string "false"/"true"' },
  'allowed-ips-string': { description: 'allowed_ips comes back as one comma-separated string' },
  'null-in-non-nullable': { description: 'name and created_at come back as null' },
  'json-content-type': {
    description: 'responses are application/json, not application/vnd.api+json',
  },
  'no-content-type': { description: 'responses carry no Content-Type header' },
  'create-200': { description: 'create answers 200 instead of 201' },
  'delete-204': { description: 'delete answers 204 with no body instead of 200 {"meta":{}}' },
  'error-not-jsonapi': {
    description: 'error responses are plain text, not a JSON:API errors[] array',
  },
  'extra-fields': {
    description: 'every key carries extra attributes the spec does not name',
    specLegal: true,
  },
  'error-not-errors-array': {
    description:
      'error responses carry one error object in "errors", not an errors[] array, with a numeric status',
  },
  'no-charset': {
    description: 'Content-Type has no "; charset=utf-8" parameter',
    specLegal: true,
  },
  // --- semantics no schema states
  'wrong-last-slice': { description: 'token_last_slice is not the last 5 characters of the token' },
  'missing-token': { description: 'create and rotate responses carry no token' },
  'token-in-list': { description: "the list shows each key's full token" },
  'token-on-update': { description: 'the settings update (PATCH) response shows the token' },
  'name-not-echoed': { description: 'the name comes back trimmed to 20 characters' },
  'non-ascii-mangled': { description: 'non-ASCII characters in names come back as "?"' },
  'read-only-not-echoed': { description: 'read_only always comes back false' },
  'allowed-ips-dropped': { description: 'allowed_ips always comes back empty' },
  'created-after-updated': { description: 'created_at is later than updated_at' },
  'last-used-on-create': { description: 'a new key already has last_used_at set' },
  'wrong-api-version': { description: "api_version is not the spec's info.version" },
  'id-changes-on-rotate': { description: 'rotate gives the key a new id' },
  'user-differs': { description: 'each key reports a different user' },
  // --- lifecycle
  'key-not-listed': { description: 'a newly created key does not appear in the list' },
  'update-rotates-token': { description: 'the settings update (PATCH) also replaces the token' },
  'rotate-keeps-token': { description: 'rotate answers with the same token as before' },
  'rotated-token-still-valid': { description: 'the rotated-away token keeps working' },
  'new-token-rejected': { description: 'a token returned by create or rotate is refused (401)' },
  'deleted-token-still-valid': { description: "a deleted key's token keeps working" },
  'delete-noop': { description: 'delete answers 200 but the key stays' },
  'unknown-id-200': {
    description: 'rotate, update and delete of an unknown id answer 200, not 404',
  },
  // --- security
  'no-auth-required': { description: 'requests without credentials are served' },
  'wrong-token-accepted': { description: 'any token is accepted' },
  'read-only-can-write': { description: 'read-only keys can create, rotate, update and delete' },
  'read-only-cannot-read': { description: "a read-only key's list (GET) is refused with 403" },
  'ip-allowlist-ignored': { description: 'allowed_ips is stored but never enforced' },
  'token-writable': {
    description: 'data.attributes.token sent by the client is accepted and used',
  },
  // --- negative input
  'accepts-missing-name': { description: 'create without a name succeeds (201)' },
  'accepts-wrong-type': { description: 'create with data.type other than api_keys succeeds' },
  'accepts-invalid-ips': { description: 'allowed_ips that are not addresses are stored' },
  'non-json-500': { description: 'a body that is not JSON answers 500' },
  'accepts-any-content-type': { description: 'a text/plain body is parsed and served (no 415)' },
  'long-name-500': { description: 'a 10,000-character name answers 500' },
  'non-ascii-500': { description: 'a name with non-ASCII characters answers 500' },
  // --- transport
  'slow-list': { description: 'the list answers only after 15 seconds' },
  'always-429': { description: 'every authenticated request answers 429 with retry_after 1' },
} as const satisfies Record<string, FaultInfo>;

export type FaultName = keyof typeof FAULTS;

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

export function isFaultName(name: string): name is FaultName {
  return Object.prototype.hasOwnProperty.call(FAULTS, name);
}
