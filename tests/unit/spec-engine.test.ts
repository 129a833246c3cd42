import { join } from 'node:path';
import { createEngine, loadSpec, responseExample, SpecEngine } from '../../src/spec';

const SPEC = join(__dirname, '../../specs/latitude-api-keys.yaml');
const JSON_API = { 'Content-Type': 'application/vnd.api+json; charset=utf-8' };

type Created = { data: { id: unknown; type: unknown; attributes: Record<string, unknown> } };

/** The spec's own 201 example for post-api-key, read from the spec: a fresh copy per test. */
let example: Created;
const seedCreated = (): Created => structuredClone(example);

let engine: SpecEngine;
beforeAll(async () => {
  const spec = await loadSpec(SPEC);
  engine = createEngine(spec);
  const operation = engine.operation('post-api-key');
  if (!operation) throw new Error('the spec has no post-api-key operation');
  example = responseExample(spec, operation, '201') as Created;
});

function created(mutate: (b: Created) => void, headers: Record<string, string> = JSON_API) {
  const body = seedCreated();
  mutate(body);
  return engine.validateResponse('post-api-key', 201, headers, JSON.stringify(body));
}

describe('validateResponse on post-api-key 201', () => {
  it('accepts the seed example as published', () => {
    expect(created(() => undefined)).toEqual([]);
  });

  it('accepts the millisecond Z timestamp style the spec also uses', () => {
    expect(
      created((b) => {
        b.data.attributes.created_at = '2025-01-24T09:24:12.041Z';
        b.data.attributes.last_used_at = '2025-01-24T09:24:12.041Z';
      }),
    ).toEqual([]);
  });

  it.each([
    [
      'an id with a hyphen',
      (b: Created) => (b.data.id = 'tok-ez2A3DVldnawP'),
      '/data/id',
      /^format \(\?-mix:\^\[a-zA-Z\]\+_\[a-zA-Z0-9\]\+\$\)/,
      'tok-ez2A3DVldnawP',
    ],
    [
      'a naive timestamp',
      (b: Created) => (b.data.attributes.created_at = '2026-01-14T15:56:29'),
      '/data/attributes/created_at',
      /^format date-time \(RFC 3339 with offset or Z\)$/,
      '2026-01-14T15:56:29',
    ],
    [
      'a bad email',
      (b: Created) =>
        ((b.data.attributes.user as Record<string, string>).email = 'nathanael at example'),
      '/data/attributes/user/email',
      /^format email/,
      'nathanael at example',
    ],
    [
      'type: api_key',
      (b: Created) => (b.data.type = 'api_key'),
      '/data/type',
      /^one of \["api_keys"\]$/,
      'api_key',
    ],
    [
      'read_only: "false"',
      (b: Created) => (b.data.attributes.read_only = 'false'),
      '/data/attributes/read_only',
      /^type boolean or null$/,
      'false',
    ],
    [
      'allowed_ips as a string',
      (b: Created) => (b.data.attributes.allowed_ips = '10.0.0.1'),
      '/data/attributes/allowed_ips',
      /^type array or null$/,
      '10.0.0.1',
    ],
    [
      'a user id with a newline (Ruby would accept it line by line)',
      (b: Created) => ((b.data.attributes.user as Record<string, string>).id = 'user_abc\nxyz'),
      '/data/attributes/user/id',
      /^format \(\?-mix:/,
      'user_abc\nxyz',
    ],
  ])('reports %s as response.body.schema at its pointer', (_name, mutate, pointer, rule, value) => {
    const findings = created(mutate);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: 'response.body.schema',
      operation: 'post-api-key',
      pointer,
      received: value,
    });
    expect(findings[0].expected).toMatch(rule);
    expect(findings[0].specLocation).toMatch(/^#\/components\/schemas\/api_key\/properties\//);
  });

  it('lists every violation of one body, not just the first', () => {
    const findings = created((b) => {
      b.data.type = 'api_key';
      b.data.attributes.read_only = 'false';
      b.data.attributes.updated_at = '2026-01-14 15:56:29';
    });
    expect(findings.map((f) => f.pointer).sort()).toEqual([
      '/data/attributes/read_only',
      '/data/attributes/updated_at',
      '/data/type',
    ]);
  });

  it('redacts the token when the token itself breaks the schema', () => {
    const [f] = created(
      (b) => (b.data.attributes.token = ['sekrit-token-value-abcdef'] as unknown as string),
    );
    expect(f).toMatchObject({ pointer: '/data/attributes/token', expected: 'type string' });
    expect(JSON.stringify(f)).not.toContain('sekrit');
  });

  it('reports a missing content type', () => {
    const findings = created(() => undefined, {});
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'response.content_type.missing',
        pointer: '',
        expected: ['application/vnd.api+json'],
      }),
    ]);
  });

  it('reports application/json as a content type mismatch and still checks the body', () => {
    const findings = created((b) => (b.data.type = 'api_key'), {
      'content-type': 'application/json',
    });
    expect(findings.map((f) => f.code)).toEqual([
      'response.content_type.mismatch',
      'response.body.schema',
    ]);
    expect(findings[0].received).toBe('application/json');
  });

  it('reports an undocumented status', () => {
    const findings = engine.validateResponse('post-api-key', 200, JSON_API, '{}');
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'response.status.undocumented',
        received: 200,
        expected: ['201'],
        specLocation: '#/paths/~1auth~1api_keys/post/responses',
      }),
    ]);
  });

  it('reports a body that is not JSON', () => {
    const findings = engine.validateResponse('post-api-key', 201, JSON_API, '<html>oops</html>');
    expect(findings.map((f) => f.code)).toEqual(['response.body.not_json']);
  });

  it('reports an unknown operation', () => {
    expect(engine.validateResponse('post-api-keys', 201, JSON_API, '{}')).toEqual([
      expect.objectContaining({ code: 'operation.unknown', received: 'post-api-keys' }),
    ]);
  });
});

describe('undocumented error responses', () => {
  const notFound =
    '{"errors":[{"code":"not_found","status":"404","title":"Error","detail":"Specified Record Not Found","meta":{}}]}';

  it('are undocumented statuses by default', () => {
    const [f] = engine.validateResponse('delete-api-key', 404, JSON_API, notFound);
    expect(f.code).toBe('response.status.undocumented');
  });

  it('with undocumentedErrors, accept a JSON:API error object', () => {
    expect(
      engine.validateResponse('delete-api-key', 404, JSON_API, notFound, {
        undocumentedErrors: true,
      }),
    ).toEqual([]);
  });

  it('with undocumentedErrors, report a body that is not an error object', () => {
    const findings = engine.validateResponse(
      'delete-api-key',
      401,
      { 'content-type': 'application/json' },
      '{"errors":[{"status":401}]}',
      { undocumentedErrors: true },
    );
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([
      ['response.content_type.mismatch', ''],
      ['response.error.schema', '/errors/0/status'],
    ]);
  });
});

describe('validateRequest', () => {
  const ct = { 'content-type': 'application/json' };

  it('accepts both documented request content types', () => {
    const body = JSON.stringify({ data: { type: 'api_keys', attributes: { name: 'ci' } } });
    expect(engine.validateRequest('post-api-key', ct, body)).toEqual([]);
    expect(
      engine.validateRequest('post-api-key', { 'content-type': 'application/vnd.api+json' }, body),
    ).toEqual([]);
  });

  it('reports a missing required name and a wrong read_only type', () => {
    const body = JSON.stringify({ data: { type: 'api_keys', attributes: { read_only: 'yes' } } });
    const findings = engine.validateRequest('post-api-key', ct, body);
    expect(findings.map((f) => [f.code, f.pointer]).sort()).toEqual([
      ['request.body.schema', '/data/attributes/name'],
      ['request.body.schema', '/data/attributes/read_only'],
    ]);
  });

  it('reports a text/plain request and a body that is not JSON', () => {
    const findings = engine.validateRequest('post-api-key', { 'content-type': 'text/plain' }, 'x');
    expect(findings.map((f) => f.code)).toEqual([
      'request.content_type.mismatch',
      'request.body.not_json',
    ]);
  });

  it('reports a missing required body', () => {
    expect(engine.validateRequest('post-api-key', ct, undefined).map((f) => f.code)).toEqual([
      'request.body.missing',
    ]);
  });
});

describe('operation index', () => {
  it('lists the five operations with their methods and templates', () => {
    expect(
      engine
        .operations()
        .map((o) => `${o.method} ${o.pathTemplate} ${o.operationId}`)
        .sort(),
    ).toEqual([
      'DELETE /auth/api_keys/{api_key_id} delete-api-key',
      'GET /auth/api_keys get-api-keys',
      'PATCH /auth/api_keys/{api_key_id} update-api-key',
      'POST /auth/api_keys post-api-key',
      'PUT /auth/api_keys/{api_key_id} rotate-api-key',
    ]);
    expect(engine.version).toBe('2023-06-01');
  });

  it('matches a path with a query string and an absolute URL by template', () => {
    expect(engine.matchOperation('put', '/auth/api_keys/tok_1?x=1')).toMatchObject({
      operation: { operationId: 'rotate-api-key' },
      params: { api_key_id: 'tok_1' },
    });
    expect(
      engine.matchOperation('GET', 'https://api.latitude.sh/auth/api_keys')?.operation.operationId,
    ).toBe('get-api-keys');
    expect(engine.matchOperation('GET', '/auth/api_keys/tok_1')).toBeUndefined();
    expect(engine.matchOperation('POST', '/servers')).toBeUndefined();
  });

  it('lists where each format is used and that it is enforced', () => {
    const usage = engine.formatUsage();
    expect(usage.map((u) => [u.format, u.enforced]).sort()).toEqual([
      ['(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)', true],
      ['date-time', true],
      ['email', true],
    ]);
    expect(usage.find((u) => u.format === 'email')?.locations).toEqual([
      '#/components/schemas/api_key/properties/attributes/properties/user/properties/email/format',
    ]);
  });
});
