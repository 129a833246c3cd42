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

function operation(
  spec: LoadedSpec,
  operationId: string,
): { at: string; op: OperationInfo; item: Record<string, unknown> } {
  for (const [path, item] of Object.entries(spec.document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if ((op as { operationId?: string })?.operationId === operationId) {
        return {
          at: `${method.toUpperCase()} ${path}`,
          op: op as unknown as OperationInfo,
          item: item as Record<string, unknown>,
        };
      }
    }
  }
  throw new Error(`${operationId} is not in ${spec.source}`);
}

type Parameter = { in?: string; name?: string; required?: boolean; schema?: unknown };

/**
 * Every schema of an operation, keyed by where it sits, with $refs resolved: responses, the
 * request body, and the parameters that apply to the operation (path-item level, overridden by
 * operation level with the same `in` and `name`), with their `in`, `name`, `required` and schema.
 */
function schemasOf(spec: LoadedSpec, operationId: string): Record<string, unknown> {
  const found = operation(spec, operationId);
  const raw = found.op as unknown as Record<string, unknown>;
  const op = dereference(spec.document, raw) as Record<string, Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  const params = (list: unknown) =>
    (dereference(spec.document, list ?? []) as Parameter[]).map((p) =>
      dereference(spec.document, p),
    ) as Parameter[];
  const effective = new Map<string, Parameter & { level: string }>();
  for (const p of params(found.item.parameters))
    effective.set(`${p.in} ${p.name}`, { ...p, level: 'path' });
  for (const p of params(op.parameters))
    effective.set(`${p.in} ${p.name}`, { ...p, level: 'operation' });
  for (const [key, p] of effective) {
    out[`parameter ${key}`] = {
      in: p.in,
      name: p.name,
      required: p.required ?? false,
      schema: p.schema ?? null,
    };
  }
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

  it('the comparison notices drift in a parameter', () => {
    const id = 'delete-api-key';
    const { at } = operation(ours, id);
    const path = at.slice(at.indexOf(' ') + 1);
    const method = at.slice(0, at.indexOf(' ')).toLowerCase();
    const mine = schemasOf(ours, id);
    expect(Object.keys(mine).filter((k) => k.startsWith('parameter '))).not.toEqual([]);
    for (const mutate of [
      (p: Parameter) => (p.schema = { type: 'integer' }),
      (p: Parameter) => (p.required = !p.required),
      (p: Parameter) => (p.in = 'query'),
      (p: Parameter) => (p.name = 'renamed'),
    ]) {
      const copy = JSON.parse(JSON.stringify(ours.document));
      const item = copy.paths[path];
      const list: Parameter[] = [
        ...(item.parameters ?? []),
        ...(item[method].parameters ?? []),
      ].map((p: Parameter) => dereference(copy, p) as Parameter);
      expect(list.length).toBeGreaterThan(0);
      // Inline the resolved parameters at operation level, then change one of them.
      delete item.parameters;
      item[method].parameters = list.map((p) => JSON.parse(JSON.stringify(p)));
      const drifted = { ...ours, document: copy } as LoadedSpec;
      expect(schemasOf(drifted, id)).toEqual(mine);
      mutate(item[method].parameters[0]);
      expect(schemasOf(drifted, id)).not.toEqual(mine);
    }
  });
});
