import { connect } from 'node:net';
import { API_KEYS_PATH, MAX_NAME_LENGTH } from '../../src/provider';
import { harness, Harness } from './reference-helpers';

const JSON_API_UTF8 = 'application/vnd.api+json; charset=utf-8';

describe('reference provider: request validation', () => {
  let h: Harness;
  let id: string;
  beforeEach(async () => {
    h = await harness();
    id = (await h.client.create({ name: 'existing' })).body?.data?.id as string;
  });
  afterEach(() => h.provider.close());

  const post = (body: unknown, contentType?: string | null) =>
    h.client.send({
      operationId: 'post-api-key',
      method: 'POST',
      path: API_KEYS_PATH,
      body,
      contentType,
    });
  const patch = (body: unknown) =>
    h.client.send({
      operationId: 'update-api-key',
      method: 'PATCH',
      path: `${API_KEYS_PATH}/${id}`,
      body,
    });

  const longName = 'x'.repeat(MAX_NAME_LENGTH + 1);

  it.each([
    [
      'data.type other than api_keys',
      { data: { type: 'servers', attributes: { name: 'n' } } },
      '/data/type',
      'type',
    ],
    ['no data.type', { data: { attributes: { name: 'n' } } }, '/data/type', 'type'],
    ['no name', { data: { type: 'api_keys', attributes: {} } }, '/data/attributes/name', 'name'],
    ['no attributes', { data: { type: 'api_keys' } }, '/data/attributes/name', 'name'],
    [
      'an empty name',
      { data: { type: 'api_keys', attributes: { name: '' } } },
      '/data/attributes/name',
      'name',
    ],
    [
      'a blank name',
      { data: { type: 'api_keys', attributes: { name: '   ' } } },
      '/data/attributes/name',
      'name',
    ],
    [
      'a name that is not a string',
      { data: { type: 'api_keys', attributes: { name: 42 } } },
      '/data/attributes/name',
      'name',
    ],
    [
      'an over-long name',
      { data: { type: 'api_keys', attributes: { name: longName } } },
      '/data/attributes/name',
      'name',
    ],
    [
      'a non-boolean read_only',
      { data: { type: 'api_keys', attributes: { name: 'n', read_only: 'true' } } },
      '/data/attributes/read_only',
      'read_only',
    ],
    [
      'allowed_ips that is not an array',
      { data: { type: 'api_keys', attributes: { name: 'n', allowed_ips: '10.0.0.1' } } },
      '/data/attributes/allowed_ips',
      'allowed_ips',
    ],
    [
      'allowed_ips with something that is not an address',
      {
        data: {
          type: 'api_keys',
          attributes: { name: 'n', allowed_ips: ['10.0.0.1', 'localhost'] },
        },
      },
      '/data/attributes/allowed_ips/1',
      'allowed_ips',
    ],
    [
      'allowed_ips with a bad prefix',
      { data: { type: 'api_keys', attributes: { name: 'n', allowed_ips: ['10.0.0.0/33'] } } },
      '/data/attributes/allowed_ips/0',
      'allowed_ips',
    ],
    [
      'allowed_ips with a number',
      { data: { type: 'api_keys', attributes: { name: 'n', allowed_ips: [167772161] } } },
      '/data/attributes/allowed_ips/0',
      'allowed_ips',
    ],
    ['no data', { type: 'api_keys' }, '/data', 'data'],
    ['a JSON array', [], '/data', 'data'],
  ])(
    'create with %s answers 422 VALIDATION_ERROR naming the attribute',
    async (_what, body, pointer, attribute) => {
      const res = await post(body);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toBe(JSON_API_UTF8);
      const error = (res.body?.errors ?? [])[0];
      expect(error).toMatchObject({
        code: 'VALIDATION_ERROR',
        status: '422',
        source: { pointer },
        meta: { attribute, message: expect.any(String) },
      });
      expect(error.detail).toContain(attribute);
      expect(h.provider.keys()).toHaveLength(1);
    },
  );

  it(`accepts a name of exactly ${MAX_NAME_LENGTH} characters, counted as characters not bytes`, async () => {
    const res = await h.client.create({ name: 'é'.repeat(MAX_NAME_LENGTH) });
    expect(res.status).toBe(201);
    expect(res.body?.data?.attributes?.name).toBe('é'.repeat(MAX_NAME_LENGTH));
  });

  it('reports every problem at once', async () => {
    const res = await post({ data: { type: 'nope', attributes: { read_only: 1 } } });
    expect(res.status).toBe(422);
    expect(res.body?.errors?.map((e) => e.source?.pointer)).toEqual([
      '/data/type',
      '/data/attributes/name',
      '/data/attributes/read_only',
    ]);
  });

  it.each([
    ['update', (body: unknown) => patch(body)],
    [
      'rotate',
      (body: unknown) =>
        h.client.send({
          operationId: 'rotate-api-key',
          method: 'PUT',
          path: `${API_KEYS_PATH}/${id}`,
          body,
        }),
    ],
  ])('%s validates what it is sent and changes nothing when refused', async (_op, send) => {
    for (const [attributes, pointer] of [
      [{ name: '' }, '/data/attributes/name'],
      [{ name: longName }, '/data/attributes/name'],
      [{ read_only: 'yes' }, '/data/attributes/read_only'],
      [{ allowed_ips: ['300.1.1.1'] }, '/data/attributes/allowed_ips/0'],
    ] as const) {
      const res = await send({ data: { id, type: 'api_keys', attributes } });
      expect(res.status).toBe(422);
      expect(
        (res.body as { errors: Array<{ source: { pointer: string } }> }).errors[0].source.pointer,
      ).toBe(pointer);
    }
    expect((await send({ data: { id, attributes: { name: 'n' } } })).status).toBe(422);
    expect(
      (await send({ data: { id: 'tok_other0', type: 'api_keys', attributes: {} } })).status,
    ).toBe(422);
    expect(h.provider.keys()[0].name).toBe('existing');
  });

  it('update needs no attributes at all', async () => {
    const res = await patch({ data: { id, type: 'api_keys' } });
    expect(res.status).toBe(200);
  });

  it.each([
    [
      'create',
      () => post({ data: { type: 'api_keys', attributes: { name: 'n', token: 'a'.repeat(36) } } }),
    ],
    [
      'update',
      () => patch({ data: { id, type: 'api_keys', attributes: { token: 'a'.repeat(36) } } }),
    ],
  ])('%s writing data.attributes.token answers 400 with the recorded body', async (_op, send) => {
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(JSON_API_UTF8);
    expect(JSON.parse(res.rawBody)).toEqual({
      errors: [
        {
          code: 'bad_request',
          status: '400',
          title: 'Request Error',
          detail: 'data.attributes.token cannot be written',
          meta: {},
        },
      ],
    });
    expect(h.provider.keys()).toHaveLength(1);
  });

  it.each([
    ['truncated JSON', '{"data": {"type": "api_keys"'],
    ['not JSON at all', 'name=App+Token'],
  ])('a body of %s answers 400 bad_request', async (_what, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(JSON_API_UTF8);
    expect(res.body?.errors?.[0]).toMatchObject({ code: 'bad_request', status: '400' });
  });

  it('a JSON body with bytes that are not UTF-8 answers 400 and stores nothing', async () => {
    const body = Buffer.concat([
      Buffer.from('{"data":{"type":"api_keys","attributes":{"name":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}}'),
    ]);
    const res = await fetch(h.provider.url + API_KEYS_PATH, {
      method: 'POST',
      headers: { Authorization: h.provider.rootToken, 'Content-Type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ detail: string }> }).errors[0].detail).toMatch(
      /UTF-8/,
    );
    expect(h.provider.keys()).toHaveLength(1);
  });

  it('an empty body on create answers 400', async () => {
    const res = await post('');
    expect(res.status).toBe(400);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', null])(
    'Content-Type %s answers 415',
    async (type) => {
      const res = await post(
        JSON.stringify({ data: { type: 'api_keys', attributes: { name: 'n' } } }),
        type,
      );
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toBe(JSON_API_UTF8);
      expect(res.body?.errors?.[0]).toMatchObject({
        code: 'unsupported_media_type',
        status: '415',
      });
      expect(h.provider.keys()).toHaveLength(1);
    },
  );

  it.each([
    'application/json',
    'application/vnd.api+json',
    'application/json; charset=utf-8',
    'Application/VND.API+JSON; charset=UTF-8',
  ])('Content-Type %s is accepted', async (type) => {
    const res = await post({ data: { type: 'api_keys', attributes: { name: 'n' } } }, type);
    expect(res.status).toBe(201);
  });

  it('malformed HTTP gets a JSON:API 400, and the server keeps serving', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(h.provider.port, '127.0.0.1', () => socket.write('NONSENSE\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('application/vnd.api+json');
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).errors[0].code).toBe('bad_request');
    expect((await h.client.list()).status).toBe(200);
  });

  it('a body over 1 MiB answers 413', async () => {
    const res = await post({
      data: { type: 'api_keys', attributes: { name: 'x'.repeat(1024 * 1024) } },
    });
    expect(res.status).toBe(413);
    expect(res.body?.errors?.[0]?.status).toBe('413');
  });
});
