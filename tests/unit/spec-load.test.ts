import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpecError } from '../../src/errors';
import { createEngine, loadSpec, specFromDocument } from '../../src/spec';
import { httpDouble } from '../support/http-double';
import { REFUSED_URL } from '../support/net';

const FIXTURES = join(__dirname, '../fixtures/spec');
const fixture = (name: string) => join(FIXTURES, name);

// Malformed documents are written at test time: as files in the repo they would break the
// formatter's check of the tree.
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'spec-load-'));
  writeFileSync(
    join(scratch, 'malformed.yaml'),
    "openapi: 3.0.1\ninfo:\n  title: broken\n  version: '1'\npaths:\n  /a:\n    get: {responses: {'200': {description: ok}\n",
  );
  writeFileSync(
    join(scratch, 'malformed.json'),
    '{\n  "openapi": "3.0.1",\n  "info": {"title": "broken", "version": "1"},\n  "paths": {\n    "/a": {"get": {"responses": {"200": {"description": "ok",}}}}\n  }\n}\n',
  );
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function specError(p: Promise<unknown>): Promise<SpecError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return err as SpecError;
  }
  throw new Error('expected a SpecError');
}

describe('loadSpec: bad input is a SpecError with a clear message', () => {
  it('malformed YAML names the line and column', async () => {
    const err = await specError(loadSpec(join(scratch, 'malformed.yaml')));
    expect(err.message).toMatch(/malformed\.yaml at line 8, column 1: /);
    expect(err.message).not.toMatch(/\n\s+at /);
  });

  it('malformed JSON names the line and column of the stray comma', async () => {
    const err = await specError(loadSpec(join(scratch, 'malformed.json')));
    expect(err.message).toMatch(/malformed\.json at line 5, column 62: /);
  });

  it('a missing file says so', async () => {
    const err = await specError(loadSpec(fixture('does-not-exist.yaml')));
    expect(err.message).toMatch(/cannot read the spec .*does-not-exist\.yaml: no such file/);
  });

  it('a relative path resolves against cwd', async () => {
    const spec = await loadSpec('read-write-only.yaml', { cwd: FIXTURES });
    expect(spec.source).toBe(fixture('read-write-only.yaml'));
  });

  it('an unreachable URL (connection refused) says so', async () => {
    const url = `${REFUSED_URL}/spec.yaml`;
    const err = await specError(loadSpec(url));
    expect(err.message).toContain(`cannot fetch the spec ${url}: ECONNREFUSED`);
  });

  it('a URL answering 404 names the status', async () => {
    const server = await httpDouble((_req, res) => res.writeHead(404).end('nope'));
    try {
      const err = await specError(loadSpec(`${server.url}/missing.yaml`));
      expect(err.message).toMatch(/answered HTTP 404/);
    } finally {
      await server.close();
    }
  });

  it('loads a spec served over http', async () => {
    const text = readFileSync(join(__dirname, '../../specs/latitude-api-keys.yaml'), 'utf8');
    const server = await httpDouble((_req, res) => res.writeHead(200).end(text));
    try {
      const spec = await loadSpec(`${server.url}/latitude.yaml`);
      expect(spec.version).toBe('2023-06-01');
      expect(createEngine(spec).operations()).toHaveLength(5);
    } finally {
      await server.close();
    }
  });

  it('an unresolvable $ref names the reference and where it occurs', async () => {
    const err = await specError(loadSpec(fixture('bad-ref.yaml')));
    expect(err.message).toContain('"#/components/schemas/thing"');
    expect(err.message).toContain(
      'at #/paths/~1things/get/responses/200/content/application~1json/schema',
    );
  });

  it('Swagger 2.0 is refused as not OpenAPI 3.x', async () => {
    const err = await specError(loadSpec(fixture('swagger2.yaml')));
    expect(err.message).toMatch(/Swagger 2\.0, not OpenAPI 3\.x/);
  });

  it('a document without an openapi field is refused', async () => {
    const err = await specError(loadSpec(fixture('no-openapi.json')));
    expect(err.message).toMatch(/is not OpenAPI 3\.x: it has no "openapi" field\. /);
    expect(err.message).not.toMatch(/null/);
  });

  it('uses the injected readFile', async () => {
    const spec = await loadSpec('/virtual/spec.json', {
      readFile: async () =>
        JSON.stringify({ openapi: '3.0.0', info: { title: 't', version: '7' }, paths: {} }),
    });
    expect(spec.version).toBe('7');
  });
});

describe('createEngine: formats fail closed', () => {
  it('refuses an unknown format, naming it and where it occurs', async () => {
    const spec = await loadSpec(fixture('unknown-format.yaml'));
    expect(() => createEngine(spec)).toThrow(SpecError);
    expect(() => createEngine(spec)).toThrow(
      /"serial-number" \(a format the engine does not know\) at #\/paths\/~1things\/get\/responses\/200\/content\/application~1json\/schema\/properties\/serial\/format.*--allow-format/,
    );
  });

  it('accepts it by name, reports it as not enforced and still enforces the others', async () => {
    const engine = createEngine(await loadSpec(fixture('unknown-format.yaml')), {
      allowFormats: ['serial-number'],
    });
    expect(engine.formatUsage().map((u) => [u.format, u.enforced])).toEqual([
      ['serial-number', false],
      ['date-time', true],
    ]);
    const ok = JSON.stringify({ serial: 'anything at all', at: '2026-01-14T15:56:29Z' });
    expect(
      engine.validateResponse('list-things', 200, { 'content-type': 'application/json' }, ok),
    ).toEqual([]);
    const naive = JSON.stringify({ serial: 'x', at: '2026-01-14T15:56:29' });
    expect(
      engine
        .validateResponse('list-things', 200, { 'content-type': 'application/json' }, naive)
        .map((f) => f.pointer),
    ).toEqual(['/at']);
  });
});

describe('OpenAPI 3.0 semantics', () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  let engine: ReturnType<typeof createEngine>;
  beforeAll(async () => {
    engine = createEngine(await loadSpec(fixture('read-write-only.yaml')));
  });

  it('readOnly properties are not allowed in a request, and not required there', () => {
    expect(engine.validateRequest('create-user', json, '{"password":"pw","name":"n"}')).toEqual([]);
    const findings = engine.validateRequest(
      'create-user',
      json,
      '{"id":"u1","password":"pw","name":"n"}',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'request.body.schema',
        pointer: '/id',
        expected: expect.stringMatching(/readOnly, not allowed in a request body/),
        specLocation: '#/components/schemas/user/properties/id',
      }),
    ]);
  });

  it('writeOnly properties are not allowed in a response, readOnly ones are required there', () => {
    const findings = engine.validateResponse(
      'create-user',
      201,
      json,
      '{"password":"pw","name":"n"}',
    );
    expect(findings.map((f) => [f.pointer, f.expected])).toEqual([
      ['/id', 'required property "id"'],
      ['/password', 'absent: the property is writeOnly, not allowed in a response body'],
    ]);
    expect(JSON.stringify(findings)).not.toContain('"pw"');
  });

  it('nullable admits null; without it null is a type error', () => {
    expect(engine.validateResponse('create-user', 201, json, '{"id":"u","name":null}')).toEqual([]);
    const [f] = engine.validateResponse(
      'create-user',
      201,
      json,
      '{"id":"u","name":"n","parent":{"id":null,"name":"p"}}',
    );
    expect(f).toMatchObject({ pointer: '/parent/id', expected: 'type string' });
  });

  it('nullable enums admit null and nothing else outside the list', () => {
    expect(
      engine.validateResponse('create-user', 201, json, '{"id":"u","name":"n","tags":["a",null]}'),
    ).toEqual([]);
    const [f] = engine.validateResponse(
      'create-user',
      201,
      json,
      '{"id":"u","name":"n","tags":["c"]}',
    );
    expect(f).toMatchObject({ pointer: '/tags/0', expected: 'one of ["a","b",null]' });
  });

  it('follows recursive $refs', () => {
    const body =
      '{"id":"u","name":"n","parent":{"id":"p","name":"n","parent":{"id":"q","name":12}}}';
    const [f] = engine.validateResponse('create-user', 201, json, body);
    expect(f).toMatchObject({ pointer: '/parent/parent/name', expected: 'type string or null' });
  });

  it('enforces float, maxLength and the OpenAPI 3.0 boolean exclusiveMinimum', () => {
    const check = (extra: string) =>
      engine
        .validateResponse('create-user', 201, json, `{"id":"u","name":"n",${extra}}`)
        .map((f) => f.expected);
    expect(check('"score":1.5')).toEqual([]);
    expect(check('"score":0')).toEqual(['exclusiveMinimum 0']);
    expect(check('"score":1e39')).toEqual([
      'format float (finite, within single precision range ±3.4028235e38)',
    ]);
    expect(
      engine.validateResponse('create-user', 201, json, '{"id":"u","name":"much too long"}')[0]
        .expected,
    ).toBe('maxLength 10');
  });

  it('a 4XX range documents every client error, with its own media type', () => {
    const problem = { 'content-type': 'application/problem+json' };
    expect(engine.validateResponse('create-user', 409, problem, '{"title":"conflict"}')).toEqual(
      [],
    );
    expect(engine.validateResponse('create-user', 500, problem, '{}')[0].code).toBe(
      'response.status.undocumented',
    );
  });
});

describe('createEngine: operation index', () => {
  it('refuses a spec that uses one operationId twice, naming both places', () => {
    const op = { operationId: 'same', responses: { '200': { description: 'ok' } } };
    const spec = specFromDocument({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: { '/a': { get: op }, '/b': { get: op } },
    });
    expect(() => createEngine(spec)).toThrow(
      /operationId "same" twice, at #\/paths\/~1a\/get and #\/paths\/~1b\/get/,
    );
  });
});

describe('identical inline schemas share one validator', () => {
  it('and each finding still points at its own operation in the spec', () => {
    const inline = () => ({
      description: 'ok',
      content: {
        'application/json': {
          schema: { type: 'object', properties: { n: { type: 'integer' } } },
        },
      },
    });
    const engine = createEngine(
      specFromDocument({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: {
          '/a': { get: { operationId: 'get-a', responses: { '200': inline() } } },
          '/b': { get: { operationId: 'get-b', responses: { '200': inline() } } },
        },
      }),
    );
    const ct = { 'content-type': 'application/json' };
    const at = (id: string) => engine.validateResponse(id, 200, ct, '{"n":"x"}')[0].specLocation;
    expect(at('get-a')).toBe(
      '#/paths/~1a/get/responses/200/content/application~1json/schema/properties/n/type',
    );
    expect(at('get-b')).toBe(
      '#/paths/~1b/get/responses/200/content/application~1json/schema/properties/n/type',
    );
  });
});

describe('strict schemas', () => {
  const withSchema = (schema: unknown, extra: Record<string, unknown> = {}) =>
    specFromDocument({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/pets': {
          get: {
            operationId: 'list-pets',
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema } } },
            },
          },
        },
      },
      ...extra,
    });

  it('accepts the OpenAPI annotation keywords and x- extensions', () => {
    const schema = {
      type: 'object',
      example: { name: 'Rex' },
      xml: { name: 'pet' },
      externalDocs: { url: 'https://example.test/pets' },
      discriminator: { propertyName: 'kind' },
      deprecated: true,
      'x-speakeasy-unknown-values': 'allow',
      properties: { name: { type: 'string', 'x-order': 1 }, kind: { type: 'string' } },
    };
    const engine = createEngine(withSchema(schema));
    const ct = { 'content-type': 'application/json' };
    expect(engine.validateResponse('list-pets', 200, ct, '{"name":"Rex","kind":"dog"}')).toEqual(
      [],
    );
    expect(engine.validateResponse('list-pets', 200, ct, '{"name":7}')[0].pointer).toBe('/name');
  });

  it('refuses a misspelt keyword instead of ignoring it, naming where', () => {
    const schema = { type: 'object', properties: { name: { type: 'string', maxLenght: 3 } } };
    expect(() => createEngine(withSchema(schema))).toThrow(SpecError);
    expect(() => createEngine(withSchema(schema))).toThrow(
      /schema at #\/paths\/~1pets\/get\/responses\/200\/content\/application~1json\/schema that cannot be compiled: strict mode: unknown keyword: "maxLenght"/,
    );
  });
});
