import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { ApiKeysClient, JSON_API } from '../../src/client';
import { CONSUMER_NAME, FAKE_TOKENS, PROVIDER_NAME } from '../../src/contracts/fixtures';
import { ProviderStates } from '../../src/provider/states';
import { jsonApiRequestBody, jsonApiResponseBody } from './json-api-body';
import { pactOutputDir } from './pact-output';

const { datetime, eachLike, fromProviderState, regex, string } = MatchersV3;

/**
 * The contract of the typed API-key client (src/client) with the Latitude.sh API: one `it` per
 * interaction, each calling the real client against Pact's mock server and asserting what the
 * client's callers use. Matchers follow the spec's `api_key` schema: shapes and types, exact
 * values only where the client relies on them (`type`, the flags it asked for).
 */

// The spec's `format: (?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)`, without Ruby's inline-flag group.
const ID_PATTERN = '^[a-zA-Z]+_[a-zA-Z0-9]+$';
// RFC 3339 with an offset, as the spec's examples write it. Pact's core parses this pattern as
// Java's DateTimeFormatter does: `XXX` accepts both `+00:00` and `Z`.
const TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ssXXX";
// Real responses add `; charset=utf-8`; the media type is what the client depends on.
const JSON_API_CONTENT_TYPE = regex('^application/vnd\\.api\\+json(\\s*;.*)?$', JSON_API);
// Raw token (what the SDKs send) or `Bearer <token>` (what the docs show): the provider takes
// both. The example is fake; provider verification swaps in the real token.
const AUTHORIZATION = regex('^(Bearer )?\\S+$', `Bearer ${FAKE_TOKENS.caller}`);

const EXISTING_KEY_ID = 'tok_x1ZJrdx5qg4LV';
// The state makes sure no key has this id (it is well formed, so only its absence is tested).
const MISSING_KEY_ID = 'tok_0000000000000';
const KEY_PATH_TEMPLATE = '/auth/api_keys/${apiKeyId}';

const timestamp = (example = '2026-01-14T15:56:29+00:00') => datetime(TIMESTAMP_FORMAT, example);
const resourceId = (example: string) => regex(ID_PATTERN, example);
const owner = {
  id: resourceId('user_pVkpyK2aoVUlax6Zzx1pfrGe4wr'),
  email: string('owner@example.test'),
};

const provider = new PactV4({
  consumer: CONSUMER_NAME,
  provider: PROVIDER_NAME,
  dir: pactOutputDir(),
  logLevel: 'warn',
});

const clientFor = (url: string) => new ApiKeysClient({ baseUrl: url, token: FAKE_TOKENS.caller });

describe('create an API key (POST /auth/api_keys)', () => {
  it('answers 201 with the new key and its token, shown this one time', async () => {
    await provider
      .addInteraction()
      .given(ProviderStates.authenticated)
      .uponReceiving('a request to create an API key')
      .withRequest('POST', '/auth/api_keys', (builder) => {
        builder.headers({
          Accept: JSON_API,
          'Content-Type': JSON_API,
          Authorization: AUTHORIZATION,
        });
        jsonApiRequestBody(builder, {
          data: { type: 'api_keys', attributes: { name: string('CI deploy key') } },
        });
      })
      .willRespondWith(201, (builder) => {
        builder.headers({ 'Content-Type': JSON_API_CONTENT_TYPE });
        jsonApiResponseBody(builder, {
          data: {
            id: resourceId('tok_ez2A3DVldnawP'),
            type: 'api_keys',
            attributes: {
              name: string('CI deploy key'),
              token: string(FAKE_TOKENS.created),
              token_last_slice: string(FAKE_TOKENS.created.slice(-5)),
              api_version: string('2023-06-01'),
              created_at: timestamp(),
              updated_at: timestamp(),
              user: owner,
            },
          },
          meta: {},
        });
      })
      .executeTest(async (mockServer) => {
        const res = await clientFor(mockServer.url).create({ name: 'CI deploy key' });

        expect(res.status).toBe(201);
        const key = res.body?.data;
        expect(key?.type).toBe('api_keys');
        // The client stores the token once; its last slice is how the key is recognised later.
        expect(key?.attributes?.token).toBe(FAKE_TOKENS.created);
        expect(key?.attributes?.token?.endsWith(key.attributes.token_last_slice ?? '-')).toBe(true);
      });
  });

  it('creates a read-only key limited to an address range and echoes both settings', async () => {
    await provider
      .addInteraction()
      .given(ProviderStates.authenticated)
      .uponReceiving('a request to create a read-only API key with allowed IPs')
      .withRequest('POST', '/auth/api_keys', (builder) => {
        builder.headers({
          Accept: JSON_API,
          'Content-Type': JSON_API,
          Authorization: AUTHORIZATION,
        });
        jsonApiRequestBody(builder, {
          data: {
            type: 'api_keys',
            attributes: {
              name: string('read-only monitoring'),
              read_only: true,
              allowed_ips: eachLike('10.0.0.0/24'),
            },
          },
        });
      })
      .willRespondWith(201, (builder) => {
        builder.headers({ 'Content-Type': JSON_API_CONTENT_TYPE });
        jsonApiResponseBody(builder, {
          data: {
            id: resourceId('tok_ez2A3DVldnawP'),
            type: 'api_keys',
            attributes: {
              name: string('read-only monitoring'),
              token: string(FAKE_TOKENS.created),
              token_last_slice: string(FAKE_TOKENS.created.slice(-5)),
              // The client shows these to confirm the restriction took effect: exact for
              // read_only, a list of ranges for allowed_ips.
              read_only: true,
              allowed_ips: eachLike('10.0.0.0/24'),
              created_at: timestamp(),
              updated_at: timestamp(),
            },
          },
          meta: {},
        });
      })
      .executeTest(async (mockServer) => {
        const res = await clientFor(mockServer.url).create({
          name: 'read-only monitoring',
          read_only: true,
          allowed_ips: ['10.0.0.0/24'],
        });

        expect(res.status).toBe(201);
        expect(res.body?.data?.attributes?.read_only).toBe(true);
        expect(res.body?.data?.attributes?.allowed_ips).toEqual(['10.0.0.0/24']);
      });
  });

  it('answers 422 with JSON:API errors when the name is missing', async () => {
    await provider
      .addInteraction()
      .given(ProviderStates.authenticated)
      .uponReceiving('a request to create an API key without a name')
      .withRequest('POST', '/auth/api_keys', (builder) => {
        builder.headers({
          Accept: JSON_API,
          'Content-Type': JSON_API,
          Authorization: AUTHORIZATION,
        });
        jsonApiRequestBody(builder, { data: { type: 'api_keys', attributes: {} } });
      })
      .willRespondWith(422, (builder) => {
        builder.headers({ 'Content-Type': JSON_API_CONTENT_TYPE });
        jsonApiResponseBody(builder, {
          errors: eachLike({
            title: string('Validation Error'),
            detail: string('name is required'),
          }),
        });
      })
      .executeTest(async (mockServer) => {
        // The typed create() cannot leave the name out, so the raw call of the same client.
        const res = await clientFor(mockServer.url).send({
          operationId: 'post-api-key',
          method: 'POST',
          path: '/auth/api_keys',
          body: { data: { type: 'api_keys', attributes: {} } },
        });

        expect(res.status).toBe(422);
        // What the client prints to its user.
        expect(res.body?.errors?.[0]?.detail).toEqual(expect.any(String));
      });
  });

  it('answers 401 with JSON:API errors when no credentials are sent', async () => {
    // No provider state: the request carries no token, so no account is involved.
    await provider
      .addInteraction()
      .uponReceiving('a request to create an API key without credentials')
      .withRequest('POST', '/auth/api_keys', (builder) => {
        builder.headers({ Accept: JSON_API, 'Content-Type': JSON_API });
        jsonApiRequestBody(builder, {
          data: { type: 'api_keys', attributes: { name: string('CI deploy key') } },
        });
      })
      .willRespondWith(401, (builder) => {
        builder.headers({ 'Content-Type': JSON_API_CONTENT_TYPE });
        jsonApiResponseBody(builder, {
          errors: eachLike({ title: string('Invalid Token'), detail: string('Invalid Token') }),
        });
      })
      .executeTest(async (mockServer) => {
        const res = await clientFor(mockServer.url)
          .withToken(undefined)
          .create({ name: 'CI deploy key' });

        expect(res.status).toBe(401);
        expect(res.exchange.requestHeaders.Authorization).toBeUndefined();
        expect(res.body?.errors?.[0]?.title).toEqual(expect.any(String));
      });
  });
});

describe('list API keys (GET /auth/api_keys)', () => {
  it('answers 200 with every key and never a token', async () => {
    await provider
      .addInteraction()
      .given(ProviderStates.apiKeyExists, { name: 'CI deploy key' })
      .uponReceiving('a request to list API keys')
      .withRequest('GET', '/auth/api_keys', (builder) => {
        builder.headers({ Accept: JSON_API, Authorization: AUTHORIZATION });
      })
      .willRespondWith(200, (builder) => {
        builder.headers({ 'Content-Type': JSON_API_CONTENT_TYPE });
        jsonApiResponseBody(builder, {
          data: eachLike({
            id: resourceId(EXISTING_KEY_ID),
            type: 'api_keys',
            attributes: {
              name: string('CI deploy key'),
              token_last_slice: string(FAKE_TOKENS.existingLastSlice),
              created_at: timestamp(),
              updated_at: timestamp(),
            },
          }),
          meta: {},
        });
      })
      .executeTest(async (mockServer) => {
        const res = await clientFor(mockServer.url).list();

        expect(res.status).toBe(200);
        expect(res.body?.data?.length).toBeGreaterThan(0);
        // The list is what the client prints in a table: only the last slice identifies a key.
        expect(res.rawBody).not.toMatch(/"token"\s*:/);
        expect(res.body?.data?.[0]?.attributes?.token_last_slice).toHaveLength(5);
      });
  });
});

describe('rotate an API key (PUT /auth/api_keys/{api_key_id})', () => {
  it('answers 200 with a new token for the same key', async () => {
    await provider
      .addInteraction()
      .given(ProviderStates.apiKeyExists, { name: 'CI deploy key' })
      .uponReceiving('a request to rotate an API key')
      .withRequest(
        'PUT',
        fromProviderState(KEY_PATH_TEMPLATE, `/auth/api_keys/${EXISTING_KEY_ID}`),
        (builder) => {
          builder.headers({
            Accept: JSON_API,
            'Content-Type': JSON_API,
            Authorization: AUTHORIZATION,
          });
          jsonApiRequestBody(builder, {
            data: {
              id: fromProviderState('${apiKeyId}', EXISTING_KEY_ID),
              type: 'api_keys',
              attributes: {},
            },
          });
        },
      )
      .willRespondWith(200, (builder) => {
        builder.headers({ 'Content-Type': JSON_API_CONTENT_TYPE });
        jsonApiResponseBody(builder, {
          data: {
            id: resourceId(EXISTING_KEY_ID),
            type: 'api_keys',
            attributes: {
              name: string('CI deploy key'),
              token: string(FAKE_TOKENS.rotated),
              token_last_slice: string(FAKE_TOKENS.rotated.slice(-5)),
              created_at: timestamp(),
              updated_at: timestamp(),
            },
          },
          meta: {},
        });
      })
      .executeTest(async (mockServer) => {
        const res = await clientFor(mockServer.url).rotate(EXISTING_KEY_ID);

        expect(res.status).toBe(200);
        const attributes = res.body?.data?.attributes;
        expect(attributes?.token).toBe(FAKE_TOKENS.rotated);
        expect(attributes?.token?.endsWith(attributes.token_last_slice ?? '-')).toBe(true);
      });
  });
});

describe('update API key settings (PATCH /auth/api_keys/{api_key_id})', () => {
  it('answers 200 with the new settings and no token', async () => {
    await provider
      .addInteraction()
      .given(ProviderStates.apiKeyExists, { name: 'CI deploy key' })
      .uponReceiving('a request to update the settings of an API key')
      .withRequest(
        'PATCH',
        fromProviderState(KEY_PATH_TEMPLATE, `/auth/api_keys/${EXISTING_KEY_ID}`),
        (builder) => {
          builder.headers({
            Accept: JSON_API,
            'Content-Type': JSON_API,
            Authorization: AUTHORIZATION,
          });
          jsonApiRequestBody(builder, {
            data: {
              id: fromProviderState('${apiKeyId}', EXISTING_KEY_ID),
              type: 'api_keys',
              attributes: { name: string('renamed key'), read_only: true },
            },
          });
        },
      )
      .willRespondWith(200, (builder) => {
        builder.headers({ 'Content-Type': JSON_API_CONTENT_TYPE });
        jsonApiResponseBody(builder, {
          data: {
            id: resourceId(EXISTING_KEY_ID),
            type: 'api_keys',
            attributes: {
              name: string('renamed key'),
              token_last_slice: string(FAKE_TOKENS.existingLastSlice),
              read_only: true,
              updated_at: timestamp(),
            },
          },
          meta: {},
        });
      })
      .executeTest(async (mockServer) => {
        const res = await clientFor(mockServer.url).update(EXISTING_KEY_ID, {
          name: 'renamed key',
          read_only: true,
        });

        expect(res.status).toBe(200);
        expect(res.body?.data?.attributes?.read_only).toBe(true);
        // A settings change keeps the token: the client must not expect (or store) a new one.
        expect(res.rawBody).not.toMatch(/"token"\s*:/);
      });
  });
});

describe('delete an API key (DELETE /auth/api_keys/{api_key_id})', () => {
  it('answers 200 with an empty meta document', async () => {
    await provider
      .addInteraction()
      .given(ProviderStates.apiKeyExists, { name: 'CI deploy key' })
      .uponReceiving('a request to delete an API key')
      .withRequest(
        'DELETE',
        fromProviderState(KEY_PATH_TEMPLATE, `/auth/api_keys/${EXISTING_KEY_ID}`),
        (builder) => {
          builder.headers({ Accept: JSON_API, Authorization: AUTHORIZATION });
        },
      )
      .willRespondWith(200, (builder) => {
        builder.headers({ 'Content-Type': JSON_API_CONTENT_TYPE });
        jsonApiResponseBody(builder, { meta: {} });
      })
      .executeTest(async (mockServer) => {
        const res = await clientFor(mockServer.url).delete(EXISTING_KEY_ID);

        expect(res.status).toBe(200);
        expect(res.body).toEqual({ meta: {} });
      });
  });

  it('answers 404 with JSON:API errors for an id that does not exist', async () => {
    await provider
      .addInteraction()
      .given(ProviderStates.apiKeyMissing, { apiKeyId: MISSING_KEY_ID })
      .uponReceiving('a request to delete an API key that does not exist')
      .withRequest('DELETE', `/auth/api_keys/${MISSING_KEY_ID}`, (builder) => {
        builder.headers({ Accept: JSON_API, Authorization: AUTHORIZATION });
      })
      .willRespondWith(404, (builder) => {
        builder.headers({ 'Content-Type': JSON_API_CONTENT_TYPE });
        jsonApiResponseBody(builder, {
          errors: eachLike({ detail: string('Specified Record Not Found') }),
        });
      })
      .executeTest(async (mockServer) => {
        const res = await clientFor(mockServer.url).delete(MISSING_KEY_ID);

        expect(res.status).toBe(404);
        expect(res.body?.errors?.[0]?.detail).toEqual(expect.any(String));
      });
  });
});
