import * as fc from 'fast-check';

/**
 * Create bodies that break the create_api_key schema or the facts (addresses that are not
 * addresses), one mutation each, so every one of them must be refused with a 4xx. Every name
 * carries the run's prefix: a key a faulty provider creates anyway is found and deleted.
 */
export function invalidCreateBodies(name: string): fc.Arbitrary<unknown> {
  const notString = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  );
  const notBoolean = fc.oneof(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.integer(),
    fc.array(fc.boolean(), { maxLength: 2 }),
  );
  const notAddress = fc.oneof(
    fc.stringMatching(/^[a-z]{1,12}$/),
    fc.constantFrom('256.1.1.1', '1.2.3', '10.0.0.0/33', '::g', '2001:db8::/129', '1.2.3.4/-1', ''),
  );
  const attributes = (extra: fc.Arbitrary<Record<string, unknown>>) =>
    extra.map((e) => ({ data: { type: 'api_keys', attributes: { name, ...e } } }));

  return fc.oneof(
    // data.type missing or not api_keys
    fc
      .oneof(
        fc.string({ maxLength: 12 }).filter((t) => t !== 'api_keys'),
        notString,
      )
      .map((type) => ({ data: { type, attributes: { name } } })),
    fc.constant({ data: { attributes: { name } } }),
    // name missing, empty or not a string
    fc.constant({ data: { type: 'api_keys', attributes: {} } }),
    fc.constant({ data: { type: 'api_keys', attributes: { name: '' } } }),
    notString.map((bad) => ({ data: { type: 'api_keys', attributes: { name: bad } } })),
    // read_only not a boolean
    attributes(notBoolean.map((read_only) => ({ read_only }))),
    // allowed_ips not a list of addresses or ranges
    attributes(
      fc
        .oneof(
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.integer(),
          fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
          fc.array(notAddress, { minLength: 1, maxLength: 3 }),
        )
        .map((allowed_ips) => ({ allowed_ips })),
    ),
    // the document itself malformed
    fc
      .oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.array(fc.integer(), { maxLength: 3 }))
      .map((data) => ({ data })),
    fc.constant({ data: { type: 'api_keys', attributes: name } }),
    fc.oneof(fc.constant([]), fc.constant(null), fc.integer(), fc.constant('api_keys')),
  );
}

/** A reproducible sample: the same seed gives the same bodies, so a failure can be replayed. */
export function sampleInvalidBodies(name: string, runs: number, seed: number): unknown[] {
  if (runs <= 0) return [];
  return fc.sample(invalidCreateBodies(name), { numRuns: runs, seed });
}
