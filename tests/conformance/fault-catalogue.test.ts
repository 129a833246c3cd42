import { FAULTS, FAULT_NAMES, FaultName } from '../../src/provider/faults';
import { failedCodes, runCli } from './helpers';

/**
 * Every fault the reference provider can be started with, and the check that must catch it.
 * A fault added to the catalogue without a line here fails the first test: each defect must be
 * shown to be caught (or, for spec-legal deviations, shown to be accepted).
 */
const CAUGHT_BY: Record<FaultName, string | string[] | null> = {
  'hyphenated-id': 'response.body.schema',
  'naive-timestamp': 'response.body.schema',
  'bad-email': 'response.body.schema',
  'wrong-type': 'response.body.schema',
  'read-only-string': 'response.body.schema',
  'allowed-ips-string': 'response.body.schema',
  'null-in-non-nullable': 'response.body.schema',
  'json-content-type': 'response.content_type.mismatch',
  'no-content-type': 'response.content_type.missing',
  'create-200': 'response.status.undocumented',
  'delete-204': 'response.status.undocumented',
  'error-not-jsonapi': 'response.body.not_json',
  'extra-fields': null,
  'no-charset': null,
  'wrong-last-slice': 'semantic.token_last_slice',
  'missing-token': 'semantic.token_presence',
  'token-in-list': 'lifecycle.listed_without_token',
  'token-on-update': 'semantic.token_presence',
  'name-not-echoed': 'semantic.name_echoed',
  'non-ascii-mangled': 'input.non_ascii_name',
  'read-only-not-echoed': 'semantic.read_only_echoed',
  'allowed-ips-dropped': 'semantic.allowed_ips_echoed',
  'created-after-updated': 'semantic.timestamps_ordered',
  'last-used-on-create': 'semantic.last_used_at_null',
  'wrong-api-version': 'semantic.api_version',
  'id-changes-on-rotate': 'semantic.identity_stable',
  'user-differs': 'semantic.user_consistent',
  'key-not-listed': 'lifecycle.created_key_listed',
  'update-rotates-token': 'lifecycle.update_keeps_token',
  'rotate-keeps-token': 'lifecycle.rotate_new_token',
  'rotated-token-still-valid': 'lifecycle.rotated_token_refused',
  'new-token-rejected': 'lifecycle.new_token_authenticates',
  'deleted-token-still-valid': 'lifecycle.deleted_token_refused',
  'delete-noop': 'lifecycle.deleted_key_unlisted',
  'no-auth-required': 'security.no_credentials',
  'wrong-token-accepted': 'security.wrong_token',
  'read-only-can-write': [
    'security.read_only_cannot_create',
    'security.read_only_cannot_rotate',
    'security.read_only_cannot_update',
    'security.read_only_cannot_delete',
  ],
  'ip-allowlist-ignored': 'security.ip_allowlist',
  'token-writable': 'security.token_not_writable',
  'accepts-missing-name': 'input.missing_name',
  'accepts-wrong-type': 'input.wrong_type',
  'accepts-invalid-ips': 'input.invalid_allowed_ips',
  'non-json-500': 'input.non_json_body',
  'accepts-any-content-type': 'input.unsupported_content_type',
  'long-name-500': 'input.long_name',
  'non-ascii-500': 'input.non_ascii_name',
  'slow-list': 'transport.timeout',
  'always-429': 'transport.rate_limited',
  'read-only-cannot-read': 'security.read_only_can_read',
  'unknown-id-200': 'lifecycle.unknown_id_404',
  'error-not-errors-array': 'response.error.schema',
};

describe('the conformance run walks the whole fault catalogue', () => {
  it('knows which check catches every fault of the catalogue', () => {
    expect(FAULT_NAMES.filter((f) => !(f in CAUGHT_BY))).toEqual([]);
    expect(Object.keys(CAUGHT_BY).filter((f) => !(f in FAULTS))).toEqual([]);
  });

  const defects = FAULT_NAMES.filter((f) => CAUGHT_BY[f] !== null);
  it.each(defects)(
    'fails against the provider with fault %s and names the check',
    async (fault) => {
      // A short timeout so the slow-list fault is a finding in half a second, not ten.
      const { code, report, out } = await runCli([
        '--provider-fault',
        fault,
        '--fuzz-runs',
        '10',
        '--timeout-ms',
        fault === 'slow-list' ? '500' : '5000',
        // Every request answers 429 under always-429: no retries, or each one waits a second.
        '--max-retries',
        fault === 'always-429' ? '0' : '3',
      ]);
      expect(code).toBe(1);
      const expected = [CAUGHT_BY[fault]!].flat();
      expect(failedCodes(report)).toEqual(expect.arrayContaining(expected));
      for (const c of expected) expect(out.join('\n')).toContain(`✗ ${c}`);
    },
  );

  const legal = FAULT_NAMES.filter((f) => CAUGHT_BY[f] === null);
  it.each(legal)('passes against the provider with the spec-legal deviation %s', async (fault) => {
    expect(FAULTS[fault]).toMatchObject({ specLegal: true });
    const { code, report } = await runCli(['--provider-fault', fault, '--fuzz-runs', '10']);
    expect(failedCodes(report)).toEqual([]);
    expect(code).toBe(0);
  });
});
