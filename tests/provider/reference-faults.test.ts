import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiResponse } from '../../src/client';
import {
  API_KEYS_PATH,
  FAULT_NAMES,
  FAULTS,
  FaultName,
  MAX_NAME_LENGTH,
  startProvider,
} from '../../src/provider';
import { clientFrom, harness, Harness } from './reference-helpers';

/**
 * Every fault in the catalogue, each with a probe (what a client does) and an assertion about what
 * it sees. The assertion must pass with the fault on and fail with it off: that is what shows the
 * fault changes exactly the behaviour its catalogue line names.
 */
interface FaultCase {
  probe: (h: Harness) => Promise<unknown>;
  faulty: (observed: never) => void;
}

const SPEC_ATTRIBUTES = [
  'name',
  'api_version',
  'token',
  'token_last_slice',
  'read_only',
  'allowed_ips',
  'last_used_at',
  'user',
  'created_at',
  'updated_at',
];

type Attrs = Record<string, unknown>;
const attrs = (res: ApiResponse<unknown>): Attrs =>
  ((res.body as { data?: { attributes?: Attrs } } | undefined)?.data?.attributes ?? {}) as Attrs;
const create = (
  h: Harness,
  input: Parameters<Harness['client']['create']>[0] = { name: 'probe' },
) => h.client.create(input);
const rawPost = (h: Harness, body: string, contentType = 'application/json') =>
  h.client.send({
    operationId: 'post-api-key',
    method: 'POST',
    path: API_KEYS_PATH,
    body,
    contentType,
  });
const createBody = (attributes: Attrs, type = 'api_keys') =>
  JSON.stringify({ data: { type, attributes } });

const cases: Record<FaultName, FaultCase> = {
  // --- response shape and schema
  'hyphenated-id': {
    probe: async (h) => (await create(h)).body?.data?.id,
    faulty: (id: string) => expect(id).toMatch(/^tok-[A-Za-z0-9]+$/),
  },
  'naive-timestamp': {
    probe: async (h) => attrs(await create(h)),
    faulty: (a: Attrs) => {
      expect(a.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(a.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    },
  },
  'bad-email': {
    probe: async (h) => (attrs(await create(h)).user as { email: string }).email,
    faulty: (email: string) => expect(email).not.toMatch(/^[^@\s]+@[^@\s]+\.[^@\s]+$/),
  },
  'wrong-type': {
    probe: async (h) => (await create(h)).body?.data?.type,
    faulty: (type: string) => expect(type).toBe('api_key'),
  },
  'read-only-string': {
    probe: async (h) => attrs(await create(h, { name: 'ro', read_only: true })).read_only,
    faulty: (v: unknown) => expect(v).toBe('true'),
  },
  'allowed-ips-string': {
    probe: async (h) =>
      attrs(await create(h, { name: 'ips', allowed_ips: ['10.0.0.0/24', '10.0.1.0/24'] }))
        .allowed_ips,
    faulty: (v: unknown) => expect(v).toBe('10.0.0.0/24,10.0.1.0/24'),
  },
  'null-in-non-nullable': {
    probe: async (h) => attrs(await create(h)),
    faulty: (a: Attrs) => expect([a.name, a.created_at]).toEqual([null, null]),
  },
  'json-content-type': {
    probe: async (h) => [
      (await create(h)).headers['content-type'],
      (await h.as('bad').list()).headers['content-type'],
    ],
    faulty: (types: string[]) =>
      expect(types).toEqual(['application/json; charset=utf-8', 'application/json; charset=utf-8']),
  },
  'no-content-type': {
    probe: async (h) => (await create(h)).headers,
    faulty: (headers: Record<string, string>) => expect(headers).not.toHaveProperty('content-type'),
  },
  'create-200': {
    probe: async (h) => (await create(h)).status,
    faulty: (status: number) => expect(status).toBe(200),
  },
  'delete-204': {
    probe: async (h) => {
      const res = await h.client.delete((await create(h)).body?.data?.id as string);
      return [res.status, res.rawBody];
    },
    faulty: (v: unknown[]) => expect(v).toEqual([204, '']),
  },
  'error-not-jsonapi': {
    probe: async (h) => {
      const res = await h.as('wrong').list();
      return [res.status, res.headers['content-type'], res.rawBody];
    },
    faulty: ([status, type, raw]: [number, string, string]) => {
      expect(status).toBe(401);
      expect(type).toMatch(/^text\/plain/);
      expect(() => JSON.parse(raw)).toThrow();
    },
  },
  'error-not-errors-array': {
    probe: async (h) => {
      const res = await h.as('wrong').list();
      return [res.headers['content-type'], res.body];
    },
    faulty: ([type, body]: [string, unknown]) => {
      expect(type).toBe('application/vnd.api+json; charset=utf-8');
      expect(body).toMatchObject({ errors: { code: 'INVALID_TOKEN', status: 401 } });
      expect(Array.isArray((body as { errors: unknown }).errors)).toBe(false);
    },
  },
  'extra-fields': {
    probe: async (h) =>
      Object.keys(attrs(await create(h))).filter((k) => !SPEC_ATTRIBUTES.includes(k)),
    faulty: (extra: string[]) => expect(extra.length).toBeGreaterThan(0),
  },
  'no-charset': {
    probe: async (h) => (await create(h)).headers['content-type'],
    faulty: (type: string) => expect(type).toBe('application/vnd.api+json'),
  },
  // --- semantics no schema states
  'wrong-last-slice': {
    probe: async (h) => attrs(await create(h)),
    faulty: (a: Attrs) => {
      expect(a.token_last_slice).toHaveLength(5);
      expect(a.token_last_slice).not.toBe((a.token as string).slice(-5));
    },
  },
  'missing-token': {
    probe: async (h) => {
      const created = await create(h);
      const rotated = await h.client.rotate(created.body?.data?.id as string);
      return [attrs(created).token, attrs(rotated).token, created.status, rotated.status];
    },
    faulty: (v: unknown[]) => expect(v).toEqual([undefined, undefined, 201, 200]),
  },
  'token-in-list': {
    probe: async (h) => {
      const token = attrs(await create(h)).token;
      return [token, (await h.client.list()).body?.data?.[0]?.attributes?.token];
    },
    faulty: ([created, listed]: string[]) => expect(listed).toBe(created),
  },
  'token-on-update': {
    probe: async (h) =>
      attrs(await h.client.update((await create(h)).body?.data?.id as string, { name: 'n' })).token,
    faulty: (token: unknown) => expect(token).toEqual(expect.stringMatching(/^[0-9a-f]{36}$/)),
  },
  'name-not-echoed': {
    probe: async (h) =>
      attrs(await create(h, { name: 'a name that is well over twenty characters' })).name,
    faulty: (name: string) => expect(name).toBe('a name that is well '),
  },
  'non-ascii-mangled': {
    probe: async (h) => attrs(await create(h, { name: 'Produção 🔑' })).name,
    faulty: (name: string) => expect(name).toBe('Produ??o ?'),
  },
  'read-only-not-echoed': {
    probe: async (h) => attrs(await create(h, { name: 'ro', read_only: true })).read_only,
    faulty: (v: unknown) => expect(v).toBe(false),
  },
  'allowed-ips-dropped': {
    probe: async (h) =>
      attrs(await create(h, { name: 'ips', allowed_ips: ['127.0.0.1'] })).allowed_ips,
    faulty: (v: unknown) => expect(v).toEqual([]),
  },
  'created-after-updated': {
    probe: async (h) => attrs(await create(h)),
    faulty: (a: Attrs) =>
      expect(Date.parse(a.created_at as string)).toBeGreaterThan(
        Date.parse(a.updated_at as string),
      ),
  },
  'last-used-on-create': {
    probe: async (h) => attrs(await create(h)).last_used_at,
    faulty: (v: unknown) => expect(v).toEqual(expect.stringMatching(/^\d{4}-/)),
  },
  'wrong-api-version': {
    probe: async (h) => attrs(await create(h)).api_version,
    faulty: (v: unknown) => {
      expect(typeof v).toBe('string');
      expect(v).not.toBe('2023-06-01');
    },
  },
  'id-changes-on-rotate': {
    probe: async (h) => {
      const id = (await create(h)).body?.data?.id as string;
      return [id, (await h.client.rotate(id)).body?.data?.id];
    },
    faulty: ([before, after]: string[]) => {
      expect(after).toMatch(/^tok_/);
      expect(after).not.toBe(before);
    },
  },
  'user-differs': {
    probe: async (h) => [attrs(await create(h)).user, attrs(await create(h)).user],
    faulty: ([a, b]: Array<{ id: string }>) => expect(a.id).not.toBe(b.id),
  },
  // --- lifecycle
  'key-not-listed': {
    probe: async (h) => {
      const id = (await create(h)).body?.data?.id;
      return [id, ((await h.client.list()).body?.data ?? []).map((k) => k.id)];
    },
    faulty: ([id, listed]: [string, string[]]) => expect(listed).not.toContain(id),
  },
  'update-rotates-token': {
    probe: async (h) => {
      const created = await create(h);
      await h.client.update(created.body?.data?.id as string, { name: 'renamed' });
      return (await h.as(attrs(created).token as string).list()).status;
    },
    faulty: (status: number) => expect(status).toBe(401),
  },
  'rotate-keeps-token': {
    probe: async (h) => {
      const created = await create(h);
      const rotated = await h.client.rotate(created.body?.data?.id as string);
      return [attrs(created).token, attrs(rotated).token];
    },
    faulty: ([before, after]: string[]) => expect(after).toBe(before),
  },
  'rotated-token-still-valid': {
    probe: async (h) => {
      const created = await create(h);
      await h.client.rotate(created.body?.data?.id as string);
      return (await h.as(attrs(created).token as string).list()).status;
    },
    faulty: (status: number) => expect(status).toBe(200),
  },
  'new-token-rejected': {
    probe: async (h) => {
      const created = await create(h);
      const rotated = await h.client.rotate(created.body?.data?.id as string);
      const other = await create(h);
      return [
        (await h.as(attrs(rotated).token as string).list()).status,
        (await h.as(attrs(other).token as string).list()).status,
      ];
    },
    faulty: (statuses: number[]) => expect(statuses).toEqual([401, 401]),
  },
  'deleted-token-still-valid': {
    probe: async (h) => {
      const created = await create(h);
      await h.client.delete(created.body?.data?.id as string);
      return (await h.as(attrs(created).token as string).list()).status;
    },
    faulty: (status: number) => expect(status).toBe(200),
  },
  'delete-noop': {
    probe: async (h) => {
      const id = (await create(h)).body?.data?.id as string;
      const status = (await h.client.delete(id)).status;
      return [status, ((await h.client.list()).body?.data ?? []).map((k) => k.id).includes(id)];
    },
    faulty: (v: unknown[]) => expect(v).toEqual([200, true]),
  },
  'unknown-id-200': {
    probe: async (h) => {
      const id = 'tok_doesNotExist1';
      const answers = [
        await h.client.rotate(id),
        await h.client.update(id, { name: 'n' }),
        await h.client.delete(id),
      ];
      const listed = (await h.client.list()).body?.data ?? [];
      return [answers.map((r) => [r.status, r.body]), listed.length];
    },
    faulty: (v: unknown[]) =>
      expect(v).toEqual([
        [
          [200, { data: null, meta: {} }],
          [200, { data: null, meta: {} }],
          [200, { meta: {} }],
        ],
        0,
      ]),
  },
  // --- security
  'no-auth-required': {
    probe: async (h) => (await h.as(undefined).list()).status,
    faulty: (status: number) => expect(status).toBe(200),
  },
  'wrong-token-accepted': {
    probe: async (h) => (await h.as('0'.repeat(36)).create({ name: 'intruder' })).status,
    faulty: (status: number) => expect(status).toBe(201),
  },
  'read-only-can-write': {
    probe: async (h) => {
      const reader = attrs(await create(h, { name: 'reader', read_only: true })).token as string;
      return (await h.as(reader).create({ name: 'written by a reader' })).status;
    },
    faulty: (status: number) => expect(status).toBe(201),
  },
  'read-only-cannot-read': {
    probe: async (h) => {
      const reader = attrs(await create(h, { name: 'reader', read_only: true })).token as string;
      const res = await h.as(reader).list();
      return [res.status, res.body?.errors?.[0]?.code];
    },
    faulty: (v: unknown[]) => expect(v).toEqual([403, 'READ_ONLY_API_KEY']),
  },
  'ip-allowlist-ignored': {
    probe: async (h) => {
      const created = await create(h, { name: 'restricted', allowed_ips: ['203.0.113.7'] });
      const listed = await h.client.list();
      const stored = listed.body?.data?.[0]?.attributes?.allowed_ips;
      return [
        stored,
        (await clientFrom(h.provider, attrs(created).token as string, '198.51.100.1').list())
          .status,
      ];
    },
    faulty: (v: unknown[]) => expect(v).toEqual([['203.0.113.7/32'], 200]),
  },
  'token-writable': {
    probe: async (h) => {
      const chosen = 'c'.repeat(36);
      const res = await rawPost(h, createBody({ name: 'chosen', token: chosen }));
      return [res.status, attrs(res).token, (await h.as(chosen).list()).status];
    },
    faulty: (v: unknown[]) => expect(v).toEqual([201, 'c'.repeat(36), 200]),
  },
  // --- negative input
  'accepts-missing-name': {
    probe: async (h) => (await rawPost(h, createBody({}))).status,
    faulty: (status: number) => expect(status).toBe(201),
  },
  'accepts-wrong-type': {
    probe: async (h) => (await rawPost(h, createBody({ name: 'n' }, 'servers'))).status,
    faulty: (status: number) => expect(status).toBe(201),
  },
  'accepts-invalid-ips': {
    probe: async (h) => {
      const res = await rawPost(
        h,
        createBody({ name: 'n', allowed_ips: ['localhost', '10.0.0.999'] }),
      );
      return [res.status, attrs(res).allowed_ips];
    },
    faulty: (v: unknown[]) => expect(v).toEqual([201, ['localhost', '10.0.0.999']]),
  },
  'non-json-500': {
    probe: async (h) => (await rawPost(h, '{"data": ')).status,
    faulty: (status: number) => expect(status).toBe(500),
  },
  'accepts-any-content-type': {
    probe: async (h) => (await rawPost(h, createBody({ name: 'n' }), 'text/plain')).status,
    faulty: (status: number) => expect(status).toBe(201),
  },
  'long-name-500': {
    probe: async (h) => (await create(h, { name: 'x'.repeat(10_000) })).status,
    faulty: (status: number) => expect(status).toBe(500),
  },
  'non-ascii-500': {
    probe: async (h) => (await create(h, { name: 'Produção' })).status,
    faulty: (status: number) => expect(status).toBe(500),
  },
  // --- transport
  'slow-list': {
    // A held list is still unanswered when the provider reports the hold and is closed; without
    // the fault there is no hold to report and the list answers.
    probe: async (h) => {
      const answer = h.client.list().then(
        (r) => r.status,
        () => 'cut off by close()',
      );
      const closedWhileHeld = listHeld.then(async () => {
        await h.provider.close();
        return answer;
      });
      return Promise.race([answer, closedWhileHeld]);
    },
    faulty: (observed: unknown) => expect(observed).toBe('cut off by close()'),
  },
  'always-429': {
    // The harness turns rate limits off: the fault answers 429 whatever the counts.
    probe: async (h) =>
      [await h.client.list(), await create(h)].map((res) => [
        res.status,
        res.headers['retry-after'],
        res.body?.errors?.[0],
      ]),
    faulty: (answers: unknown[]) => {
      for (const answer of answers) {
        expect(answer).toEqual([
          429,
          '1',
          {
            code: 'RATE_LIMIT_EXCEEDED',
            title: 'Rate Limit Exceeded',
            status: '429',
            detail: 'Too many requests. Please slow down and retry.',
            meta: { retry_after: 1 },
          },
        ]);
      }
    },
  },
};

/** Settles when the provider `start` made last reports that the slow-list fault holds a list. */
let listHeld: Promise<void>;

const start = (faults: FaultName[]) => {
  let held: () => void = () => undefined;
  listHeld = new Promise((resolve) => (held = resolve));
  return harness({
    faults,
    trustForwardedFor: true,
    rateLimit: { enabled: false },
    onListHeld: () => held(),
  });
};

describe('reference provider: the fault catalogue', () => {
  it('has a probe for every fault and nothing else', () => {
    expect(Object.keys(cases).sort()).toEqual([...FAULT_NAMES].sort());
  });

  it('describes every fault in one line', () => {
    for (const name of FAULT_NAMES) {
      expect(FAULTS[name].description).toMatch(/^[^\n]{10,}$/);
    }
  });

  it('the README lists every fault with its catalogue line', () => {
    const doc = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const name of FAULT_NAMES) {
      expect(doc).toContain(`| \`${name}\` | ${FAULTS[name].description} |`);
    }
  });

  describe.each(FAULT_NAMES)('%s', (fault) => {
    const { probe, faulty } = cases[fault];
    const check = faulty as (observed: unknown) => void;

    it(`with the fault: ${FAULTS[fault].description}`, async () => {
      const h = await start([fault]);
      try {
        check(await probe(h));
      } finally {
        await h.provider.close();
      }
    });

    it('without it, the same probe sees the correct behaviour', async () => {
      const h = await start([]);
      try {
        const observed = await probe(h);
        expect(() => check(observed)).toThrow();
      } finally {
        await h.provider.close();
      }
    });
  });
});

describe('reference provider: fault plumbing', () => {
  it('a 500 is a JSON:API error, and the server keeps serving', async () => {
    const h = await start(['non-json-500']);
    try {
      const res = await rawPost(h, 'not json');
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
      expect(res.body?.errors?.[0]).toMatchObject({ code: 'internal_server_error', status: '500' });
      expect((await h.client.list()).status).toBe(200);
    } finally {
      await h.provider.close();
    }
  });

  it('long-name-500 leaves names within the limit alone', async () => {
    const h = await start(['long-name-500']);
    try {
      expect((await create(h, { name: 'x'.repeat(MAX_NAME_LENGTH) })).status).toBe(201);
    } finally {
      await h.provider.close();
    }
  });

  it('slow-list holds the list 15 s by default, and close() ends the wait at once', async () => {
    const provider = await startProvider({ faults: ['slow-list'] });
    const pending = fetch(provider.url + API_KEYS_PATH, {
      headers: { Authorization: provider.rootToken },
    }).then(
      (r) => r.status,
      () => 'closed',
    );
    const early = await Promise.race([
      pending,
      new Promise((r) => setTimeout(() => r('waiting'), 500)),
    ]);
    expect(early).toBe('waiting');
    await provider.close();
    expect(await pending).toBe('closed');
  });

  it('faults can be changed on a running provider', async () => {
    const h = await start([]);
    try {
      h.provider.setFaults(['create-200']);
      expect(h.provider.faults()).toEqual(['create-200']);
      expect((await create(h)).status).toBe(200);
      h.provider.setFaults([]);
      expect((await create(h)).status).toBe(201);
    } finally {
      await h.provider.close();
    }
  });

  it('an unknown fault name is refused with the valid names', async () => {
    await expect(startProvider({ faults: ['no-such-fault' as FaultName] })).rejects.toThrow(
      /valid faults: .*slow-list/,
    );
  });
});
