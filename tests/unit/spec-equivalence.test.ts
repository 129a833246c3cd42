import { join } from 'node:path';
import { dereference, loadSpec, LoadedSpec, OperationInfo } from '../../src/spec';

/**
 * specs/latitude-api-keys.yaml is a hand-kept subset of the provider's published spec. This test
 * proves every schema of its five operations equals the provider's after $ref resolution, so a
 * change on either side shows up as a failing test rather than as silently stale checks.
 */
const OURS = join(__dirname, '../../specs/latitude-api-keys.yaml');
const PROVIDER = join(__dirname, '../../../shared/reference/latitude-openapi.yaml');
const OPERATIONS = [
  'get-api-keys',
  'post-api-key',
  'rotate-api-key',
  'update-api-key',
  'delete-api-key',
];

let ours: LoadedSpec;
let provider: LoadedSpec;
beforeAll(async () => {
  [ours, provider] = await Promise.all([loadSpec(OURS), loadSpec(PROVIDER)]);
});

function operation(spec: LoadedSpec, operationId: string): { at: string; op: OperationInfo } {
  for (const [path, item] of Object.entries(spec.document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if ((op as { operationId?: string })?.operationId === operationId) {
        return {
          at: `${method.toUpperCase()} ${path}`,
          op: op as unknown as OperationInfo,
        };
      }
    }
  }
  throw new Error(`${operationId} is not in ${spec.source}`);
}

/** Every schema of an operation, keyed by where it sits, with $refs resolved. */
function schemasOf(spec: LoadedSpec, operationId: string): Record<string, unknown> {
  const raw = operation(spec, operationId).op as unknown as Record<string, unknown>;
  const op = dereference(spec.document, raw) as Record<string, Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    const content = (r as { content?: Record<string, { schema?: unknown }> }).content ?? {};
    for (const [mt, m] of Object.entries(content))
      out[`response ${status} ${mt}`] = m.schema ?? null;
    if (!Object.keys(content).length) out[`response ${status}`] = null;
  }
  const body = op.requestBody as
    { required?: boolean; content?: Record<string, { schema?: unknown }> } | undefined;
  for (const [mt, m] of Object.entries(body?.content ?? {}))
    out[`request ${mt}`] = m.schema ?? null;
  if (body) out['request required'] = body.required ?? false;
  return out;
}

describe('specs/latitude-api-keys.yaml equals the provider spec for the API-key resource', () => {
  it.each(OPERATIONS)('%s: same method, path, statuses, media types and schemas', (id) => {
    expect(operation(ours, id).at).toBe(operation(provider, id).at);
    const mine = schemasOf(ours, id);
    expect(Object.keys(mine).length).toBeGreaterThan(0);
    expect(mine).toEqual(schemasOf(provider, id));
  });

  it('error_object is the provider schema', () => {
    const schema = (s: LoadedSpec) =>
      dereference(s.document, { $ref: '#/components/schemas/error_object' });
    expect(schema(ours)).toEqual(schema(provider));
  });

  it('has the same info.version (the api_version keys report)', () => {
    expect(ours.version).toBe(provider.version);
  });

  it('the comparison notices drift', () => {
    // Guard against a comparison that cannot fail: change one enum value and expect a difference.
    const copy = JSON.parse(JSON.stringify(ours.document));
    copy.components.schemas.api_key.properties.type.enum = ['api_key'];
    const drifted = { ...ours, document: copy } as LoadedSpec;
    expect(schemasOf(drifted, 'post-api-key')).not.toEqual(schemasOf(provider, 'post-api-key'));
  });
});
