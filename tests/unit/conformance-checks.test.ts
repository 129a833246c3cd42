import { selectChecks, CHECK_CODES } from '../../src/conformance/catalogue';
import * as semantic from '../../src/conformance/checks/semantic';
import { sampleInvalidBodies } from '../../src/conformance/fuzz';
import * as path from 'node:path';
import { createEngine, ENGINE_FINDING_CODES, loadSpec } from '../../src/spec';
import { parseAllowedIp } from '../../src/provider/ip-allowlist';

const key = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'tok_abc',
  type: 'api_keys',
  attributes,
  ...extra,
});

describe('semantic rules', () => {
  it("token_last_slice must be the token's last 5 characters", () => {
    const token = '54ebfcfa2ad7f9fe0d4e081306554174d063';
    expect(semantic.tokenLastSliceMatchesToken(key({ token, token_last_slice: '4d063' })).ok).toBe(
      true,
    );
    const bad = semantic.tokenLastSliceMatchesToken(key({ token, token_last_slice: '54ebf' }));
    expect(bad).toMatchObject({
      ok: false,
      expected: '4d063',
      received: '54ebf',
      pointer: '/data/attributes/token_last_slice',
    });
  });

  it('accepts the documented /32 and /128 normalisation of single addresses, nothing else', () => {
    const sent = ['192.0.2.10', '2001:db8::1', '10.0.0.0/24'];
    expect(
      semantic.allowedIpsEchoed(
        key({ allowed_ips: ['192.0.2.10/32', '2001:db8::1/128', '10.0.0.0/24'] }),
        sent,
      ).ok,
    ).toBe(true);
    expect(
      semantic.allowedIpsEchoed(
        key({ allowed_ips: ['10.0.0.0/24', '192.0.2.10', '2001:db8::1'] }),
        sent,
      ).ok,
    ).toBe(true);
    expect(
      semantic.allowedIpsEchoed(
        key({ allowed_ips: ['192.0.2.10/24', '2001:db8::1', '10.0.0.0/24'] }),
        sent,
      ).ok,
    ).toBe(false);
    expect(semantic.allowedIpsEchoed(key({ allowed_ips: [] }), sent).ok).toBe(false);
    expect(semantic.allowedIpsEchoed(key({ allowed_ips: '192.0.2.10' }), sent).ok).toBe(false);
  });

  it('compares names byte for byte', () => {
    expect(semantic.nameEchoed(key({ name: 'Clé 東京 🔑' }), 'Clé 東京 🔑').ok).toBe(true);
    // The same letters, decomposed (NFD): not the bytes that were sent.
    expect(semantic.nameEchoed(key({ name: 'Cle\u0301 東京 🔑' }), 'Clé 東京 🔑').ok).toBe(false);
  });

  it('orders timestamps by instant, across offsets', () => {
    expect(
      semantic.timestampsOrdered(
        key({ created_at: '2026-01-14T15:56:29+00:00', updated_at: '2026-01-14T16:56:29+01:00' }),
      ).ok,
    ).toBe(true);
    expect(
      semantic.timestampsOrdered(
        key({ created_at: '2026-01-14T15:56:30Z', updated_at: '2026-01-14T15:56:29Z' }),
      ).ok,
    ).toBe(false);
  });

  it('sees a changed id or type as a broken identity', () => {
    expect(semantic.identityStable(key({}), key({})).ok).toBe(true);
    expect(semantic.identityStable(key({}), key({}, { id: 'tok_new' })).ok).toBe(false);
    expect(semantic.identityStable(key({}), key({}, { type: 'api_key' })).ok).toBe(false);
  });
});

describe('the check catalogue', () => {
  it('has a code for every response finding the spec engine can report', () => {
    const engineResponseCodes = Object.keys(ENGINE_FINDING_CODES).filter((c) =>
      c.startsWith('response.'),
    );
    expect(engineResponseCodes.length).toBeGreaterThan(0);
    expect(engineResponseCodes.filter((c) => !(CHECK_CODES as string[]).includes(c))).toEqual([]);
  });
});

describe('choosing checks', () => {
  it('takes codes and dotted prefixes, and names what it does not know', () => {
    const { selected, unknown } = selectChecks(
      ['semantic', 'security.wrong_token'],
      ['semantic.api_version'],
    );
    expect(selected.has('semantic.token_last_slice')).toBe(true);
    expect(selected.has('security.wrong_token')).toBe(true);
    expect(selected.has('semantic.api_version')).toBe(false);
    expect(selected.has('lifecycle.rotate_new_token')).toBe(false);
    expect(unknown).toEqual([]);
    expect(selectChecks(['sem'], undefined).unknown).toEqual(['sem']);
    expect(selectChecks(undefined, undefined).selected.size).toBe(CHECK_CODES.length);
  });
});

describe('fuzzed bodies', () => {
  it('are reproducible from the seed and each breaks the create schema or the address rule', async () => {
    const spec = await loadSpec(path.resolve(__dirname, '../../specs/latitude-api-keys.yaml'));
    const engine = createEngine(spec);
    const a = sampleInvalidBodies('lc-conformance-x-fuzz', 200, 42);
    expect(sampleInvalidBodies('lc-conformance-x-fuzz', 200, 42)).toEqual(a);
    for (const body of a) {
      const schemaBroken =
        engine.validateRequest(
          'post-api-key',
          { 'content-type': 'application/vnd.api+json' },
          JSON.stringify(body),
        ).length > 0;
      const attrs = (body as { data?: { attributes?: { name?: unknown; allowed_ips?: unknown } } })
        ?.data?.attributes;
      const emptyName = attrs?.name === '';
      // Schema-valid lists of strings are invalid only when an entry is not an address or range.
      const badAddresses =
        Array.isArray(attrs?.allowed_ips) &&
        attrs.allowed_ips.some((ip) => typeof ip !== 'string' || parseAllowedIp(ip) === undefined);
      expect({ body, invalid: schemaBroken || emptyName || badAddresses }).toEqual({
        body,
        invalid: true,
      });
    }
  });
});
