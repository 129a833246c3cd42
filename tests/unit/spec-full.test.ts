import { join } from 'node:path';
import {
  createEngine,
  loadSpec,
  LoadedSpec,
  resolvePointer,
  SpecEngine,
  specFromDocument,
} from '../../src/spec';

/** The provider's full published spec: flow-style YAML, 146 operations. Read in place. */
const PROVIDER = join(__dirname, '../../../shared/reference/latitude-openapi.yaml');

let spec: LoadedSpec;
let engine: SpecEngine;
beforeAll(async () => {
  spec = await loadSpec(PROVIDER);
  engine = createEngine(spec);
});

/** Every documented response example: [operationId, status, media type, value]. */
function responseExamples(): Array<[string, number, string, unknown]> {
  const out: Array<[string, number, string, unknown]> = [];
  for (const op of engine.operations()) {
    for (const r of op.responseInfo) {
      for (const c of r.content) {
        const mt = resolvePointer(spec.document, c.specLocation) as {
          examples?: Record<string, { value?: unknown }>;
        };
        for (const ex of Object.values(mt?.examples ?? {})) {
          if (ex && 'value' in ex)
            out.push([op.operationId, Number(r.status), c.mediaType, ex.value]);
        }
      }
    }
  }
  return out;
}

describe('the provider full spec', () => {
  it('compiles every operation', () => {
    expect(engine.operations()).toHaveLength(146);
    expect(new Set(engine.operations().map((o) => o.operationId)).size).toBe(146);
  });

  it('enforces every format it uses, float included', () => {
    const usage = engine.formatUsage();
    expect(usage.filter((u) => !u.enforced)).toEqual([]);
    const float = usage.find((u) => u.format === 'float');
    expect(float?.enforced).toBe(true);
    expect(float?.locations).toHaveLength(1);
    expect(usage.map((u) => u.format)).toEqual(
      expect.arrayContaining(['date-time', 'email', '(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)']),
    );
  });

  it('accepts every response example the provider documents', () => {
    const examples = responseExamples();
    expect(examples.length).toBeGreaterThan(100);
    const failures = examples
      .map(([id, status, mt, value]) => ({
        id,
        status,
        findings: engine.validateResponse(
          id,
          status,
          { 'content-type': mt },
          JSON.stringify(value),
        ),
      }))
      .filter((r) => r.findings.length > 0);
    expect(failures).toEqual([]);
  });

  it('float is enforced where the spec uses it', () => {
    const [location] = engine.formatUsage().find((u) => u.format === 'float')?.locations ?? [];
    const owner = location.replace(/\/format$/, '');
    // The provider's own schema at that location, behind a one-operation spec.
    const probe = specFromDocument({
      ...spec.document,
      paths: {
        '/probe': {
          get: {
            operationId: 'probe',
            responses: {
              '200': {
                description: 'probe',
                content: { 'application/json': { schema: { $ref: owner } } },
              },
            },
          },
        },
      },
    });
    const check = (v: string) =>
      createEngine(probe).validateResponse('probe', 200, { 'content-type': 'application/json' }, v);
    expect(check('5')).toEqual([]);
    expect(check('1e39')).toEqual([
      expect.objectContaining({ expected: expect.stringMatching(/^format float/), received: 1e39 }),
    ]);
  });

  it('matches concrete paths to templates, literal segments first', () => {
    const m = engine.matchOperation('GET', '/servers/sv_123?page[size]=1');
    expect(m?.operation.pathTemplate).toBe('/servers/{server_id}');
    expect(m?.params).toEqual({ server_id: 'sv_123' });
    expect(
      engine.matchOperation('DELETE', '/auth/api_keys/tok_x1ZJrdx5qg4LV')?.operation.operationId,
    ).toBe('delete-api-key');
  });

  it('reads the date-time styles of the spec examples and rejects a naive one', () => {
    const body = (at: string) =>
      JSON.stringify({
        data: [{ id: 'tok_a', type: 'api_keys', attributes: { created_at: at } }],
        meta: {},
      });
    const ct = { 'content-type': 'application/vnd.api+json' };
    expect(
      engine.validateResponse('get-api-keys', 200, ct, body('2026-01-14T15:56:29+00:00')),
    ).toEqual([]);
    expect(
      engine.validateResponse('get-api-keys', 200, ct, body('2025-01-24T09:24:12.041Z')),
    ).toEqual([]);
    expect(
      engine.validateResponse('get-api-keys', 200, ct, body('2025-01-24T09:24:12.041'))[0],
    ).toMatchObject({
      pointer: '/data/0/attributes/created_at',
    });
  });
});
