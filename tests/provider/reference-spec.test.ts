import path from 'node:path';
import { ApiKeysClient, Exchange } from '../../src/client';
import type { Finding } from '../../src/findings';
import { API_KEYS_PATH, FaultName } from '../../src/provider';
import { createEngine, loadSpec, SpecEngine } from '../../src/spec';
import { clientFrom, harness } from './reference-helpers';

const SPEC = path.join(__dirname, '..', '..', 'specs', 'latitude-api-keys.yaml');

let engine: SpecEngine;
beforeAll(async () => {
  engine = createEngine(await loadSpec(SPEC));
});

/**
 * The whole lifecycle plus every error the provider answers, recorded through the client's
 * onExchange hook. Returns each exchange with what the spec engine says about it.
 */
async function recordLifecycle(faults: FaultName[] = []): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const h = await harness({
    faults,
    trustForwardedFor: true,
    rateLimit: { enabled: true, readsPerMinute: 1000, writesPerMinute: 1000 },
  });
  const record = (e: Exchange) => exchanges.push(e);
  const client = new ApiKeysClient({
    baseUrl: h.provider.url,
    token: h.provider.rootToken,
    authScheme: 'raw',
    onExchange: record,
  });
  try {
    const created = await client.create({
      name: 'Spec lifecycle 🔑',
      allowed_ips: ['127.0.0.1', '2001:db8::/32'],
    });
    const id = created.body?.data?.id as string;
    const token = created.body?.data?.attributes?.token as string;
    await client.withToken(token).list();
    await client.list();
    const rotated = await client.rotate(id);
    await client.update(id, { name: 'Renamed', read_only: true });
    await client
      .withToken(rotated.body?.data?.attributes?.token as string)
      .create({ name: 'refused: read-only' });
    await client.withToken('wrong').list();
    await client.update('tok_doesNotExist0', { name: 'x' });
    await client.send({
      operationId: 'post-api-key',
      method: 'POST',
      path: API_KEYS_PATH,
      body: { data: { type: 'api_keys', attributes: { name: '' } } },
    });
    await client.send({
      operationId: 'post-api-key',
      method: 'POST',
      path: API_KEYS_PATH,
      body: { data: { type: 'api_keys', attributes: { name: 'n', token: 'x' } } },
    });
    await client.send({
      operationId: 'post-api-key',
      method: 'POST',
      path: API_KEYS_PATH,
      body: '{not json',
    });
    await client.send({
      operationId: 'post-api-key',
      method: 'POST',
      path: API_KEYS_PATH,
      body: 'name=x',
      contentType: 'text/plain',
    });
    const restricted = await client.create({ name: 'restricted', allowed_ips: ['203.0.113.7'] });
    const outsider = clientFrom(
      h.provider,
      restricted.body?.data?.attributes?.token as string,
      '198.51.100.1',
    );
    const refused = await outsider.list();
    exchanges.push(refused.exchange);
    h.provider.configureRateLimit({ enabled: true, readsPerMinute: 1 });
    await client.list();
    await client.list();
    await client.delete(restricted.body?.data?.id as string);
    await client.delete(id);
  } finally {
    await h.provider.close();
  }
  return exchanges;
}

const findingsOf = (e: Exchange): Finding[] =>
  engine.validateResponse(String(e.operationId), e.status, e.responseHeaders, e.responseBody, {
    undocumentedErrors: true,
  });

describe('reference provider: responses validate against specs/latitude-api-keys.yaml', () => {
  let exchanges: Exchange[];
  beforeAll(async () => {
    exchanges = await recordLifecycle();
  });

  it('exercises every operation and every error status the provider answers', () => {
    const seen = new Set(exchanges.map((e) => `${e.operationId} ${e.status}`));
    for (const expected of [
      'post-api-key 201',
      'get-api-keys 200',
      'rotate-api-key 200',
      'update-api-key 200',
      'delete-api-key 200',
      'get-api-keys 401',
      'post-api-key 403',
      'get-api-keys 403',
      'update-api-key 404',
      'post-api-key 422',
      'post-api-key 400',
      'post-api-key 415',
      'get-api-keys 429',
    ]) {
      expect(seen).toContain(expected);
    }
  });

  it('no response has a finding', () => {
    const report = exchanges
      .map((e) => ({
        exchange: `${e.method} ${e.path} → ${e.status}`,
        findings: findingsOf(e).map((f) => f.message),
      }))
      .filter((r) => r.findings.length > 0);
    expect(report).toEqual([]);
  });

  it('every request the typed client sent in the lifecycle is valid for the spec too', () => {
    const wellFormed = exchanges.filter((e) => e.status < 300 && e.requestBody !== undefined);
    expect(wellFormed.length).toBeGreaterThanOrEqual(3);
    for (const e of wellFormed) {
      expect(
        engine.validateRequest(String(e.operationId), e.requestHeaders, e.requestBody),
      ).toEqual([]);
    }
  });

  it.each<[FaultName, string]>([
    ['naive-timestamp', 'response.body.schema'],
    ['wrong-type', 'response.body.schema'],
    ['create-200', 'response.status.undocumented'],
    ['json-content-type', 'response.content_type.mismatch'],
    ['error-not-jsonapi', 'response.body.not_json'],
  ])(
    'with the %s fault the same lifecycle yields %s findings (this test can fail)',
    async (fault, code) => {
      const faulty = await recordLifecycle([fault]);
      const codes = faulty.flatMap((e) => findingsOf(e).map((f) => f.code));
      expect(codes).toContain(code);
    },
  );
});
