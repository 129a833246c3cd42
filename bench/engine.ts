import Ajv from 'ajv';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAPIResponseValidator from 'openapi-response-validator';
import type { Io } from '../src/io';
import { createEngine, dereference, loadSpec, resolveFormat, responseExample } from '../src/spec';
import { SchemaConverter } from '../src/spec/convert';

/**
 * Engine benchmarks, every number measured in this run on this machine:
 * 1. cold compile of the provider's full spec, in a fresh process (target: under 1 s);
 * 2. create-response validations per second: the engine, a bare precompiled ajv validator of
 *    the same schema (target: engine at least 0.8 of it) and the openapi-response-validator
 *    package;
 * 3. `validate` throughput on a generated NDJSON file of 200,000 exchanges, with the peak memory
 *    of the process (target: at least 100,000 exchanges/s), and on 20,000 to show memory is flat.
 */
const ROOT = join(__dirname, '..');
const API_KEYS_SPEC = join(ROOT, 'specs/latitude-api-keys.yaml');
const PROVIDER_SPEC = join(ROOT, '../shared/reference/latitude-openapi.yaml');
const JSON_API = 'application/vnd.api+json; charset=utf-8';

export async function suite(io: Io): Promise<void> {
  const spec = await loadSpec(API_KEYS_SPEC);
  const operation = createEngine(spec).operation('post-api-key');
  if (!operation) throw new Error(`${API_KEYS_SPEC} has no post-api-key operation`);
  // The spec's own 201 example, as the provider sends it.
  const created = JSON.stringify(responseExample(spec, operation, '201'));
  coldCompile(io);
  await throughputPerValidation(io, created);
  await validateThroughput(io, created);
}

/** A child process that loads tsx and runs `code`, printing one JSON line. */
function child(code: string): Record<string, number> {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    maxBuffer: 1 << 24,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`bench child failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  }
}

function coldCompile(io: Io): void {
  const code = `
    const { loadSpec, createEngine } = require('./src/spec');
    (async () => {
      const t0 = process.hrtime.bigint();
      const spec = await loadSpec(${JSON.stringify(PROVIDER_SPEC)});
      const t1 = process.hrtime.bigint();
      const engine = createEngine(spec);
      const t2 = process.hrtime.bigint();
      console.log(JSON.stringify({ load: Number(t1 - t0) / 1e6, compile: Number(t2 - t1) / 1e6,
        operations: engine.operations().length }));
    })();`;
  const runs = [child(code), child(code), child(code)];
  const compile = runs.map((r) => r.compile).sort((a, b) => a - b);
  const load = runs.map((r) => r.load).sort((a, b) => a - b);
  io.stdout(
    `  cold compile, full provider spec (${runs[0].operations} operations, fresh process, 3 runs):`,
  );
  io.stdout(
    `    compile ${ms(compile[1])} median (min ${ms(compile[0])}, max ${ms(compile[2])}); ` +
      `parse + $ref check ${ms(load[1])}; target < 1000 ms: ${compile[1] < 1000 ? 'met' : 'NOT met'}`,
  );
}

/** Operations per second of `fn`, best of `rounds` rounds of about `ms` each. */
function opsPerSecond(fn: () => unknown, roundMs = 400, rounds = 5): number {
  for (let i = 0; i < 2000; i++) fn(); // warm-up: let the JIT settle
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const limit = BigInt(roundMs) * 1_000_000n;
    let elapsed = 0n;
    while (elapsed < limit) {
      for (let i = 0; i < 500; i++) fn();
      n += 500;
      elapsed = process.hrtime.bigint() - start;
    }
    best = Math.max(best, n / (Number(elapsed) / 1e9));
  }
  return best;
}

async function throughputPerValidation(io: Io, createdBody: string): Promise<void> {
  const spec = await loadSpec(API_KEYS_SPEC);
  const engine = createEngine(spec);
  const headers = { 'content-type': JSON_API };
  if (engine.validateResponse('post-api-key', 201, headers, createdBody).length) {
    throw new Error('the seed example does not conform; the benchmark would measure error paths');
  }

  // The bare validator: the very JSON Schema the engine compiles, in a plain ajv instance with
  // the same formats, no engine around it.
  const op = engine.operation('post-api-key');
  const media = op?.responseInfo.find((r) => r.status === '201')?.content[0];
  const converter = new SchemaConverter(
    spec.document,
    'response',
    'https://bench.local/defs.json',
    spec.source,
  );
  const schema = converter.convert(media?.schema, 'bench');
  const bare = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  const customFormats: Record<string, (v: string) => boolean> = {};
  for (const name of converter.formats.keys()) {
    const r = resolveFormat(name);
    if (!r.enforced) throw new Error(`format ${name} not enforced`);
    bare.addFormat(name, r.rule.format);
    const f = r.rule.format as { validate: (v: string) => boolean } | RegExp;
    customFormats[name] = f instanceof RegExp ? (v) => f.test(v) : (v) => f.validate(v);
  }
  bare.addSchema(converter.definitionsDocument());
  const bareValidate = bare.compile(schema as object);
  if (!bareValidate(JSON.parse(createdBody))) throw new Error('bare ajv rejects the seed example');

  // The peer: openapi-response-validator given the same response and components; it runs ajv
  // with strict off, so it is handed the engine's format checks (otherwise it skips them all).
  const responses = dereference(spec.document, {
    201: { $ref: '#/paths/~1auth~1api_keys/post/responses/201' },
  }) as ConstructorParameters<typeof OpenAPIResponseValidator>[0]['responses'];
  const peer = new OpenAPIResponseValidator({ responses, customFormats });
  if (peer.validateResponse(201, JSON.parse(createdBody))) {
    throw new Error('openapi-response-validator rejects the seed example');
  }

  const engineOps = opsPerSecond(() =>
    engine.validateResponse('post-api-key', 201, headers, createdBody),
  );
  const bareOps = opsPerSecond(() => bareValidate(JSON.parse(createdBody)));
  const parsed = JSON.parse(createdBody);
  const bareNoParse = opsPerSecond(() => bareValidate(parsed));
  const peerOps = opsPerSecond(() => peer.validateResponse(201, JSON.parse(createdBody)));
  io.stdout('  create response (201, seed example), validations/s, body given as text:');
  io.stdout(`    engine.validateResponse          ${rate(engineOps)}`);
  io.stdout(
    `    bare ajv (JSON.parse + validate) ${rate(bareOps)}  engine/bare = ${(engineOps / bareOps).toFixed(2)} (target ≥ 0.80: ${engineOps / bareOps >= 0.8 ? 'met' : 'NOT met'})`,
  );
  io.stdout(
    `    openapi-response-validator       ${rate(peerOps)}  engine/peer = ${(engineOps / peerOps).toFixed(2)}`,
  );
  io.stdout(
    `    (bare ajv on an already parsed body: ${rate(bareNoParse)}; JSON.parse is most of the cost)`,
  );
}

async function validateThroughput(io: Io, createdBody: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-validate-'));
  try {
    for (const n of [20_000, 200_000]) {
      const file = join(dir, `traffic-${n}.ndjson`);
      await generateTraffic(file, n, createdBody);
      const code = `
        const { main } = require('./src/cli');
        const quiet = { stdout: () => {}, stderr: (l) => process.stderr.write(l + '\\n'), env: {}, cwd: process.cwd() };
        (async () => {
          const t0 = process.hrtime.bigint();
          const exit = await main(['validate', ${JSON.stringify(file)}, '--report-dir', ${JSON.stringify(dir)}], quiet);
          const wall = Number(process.hrtime.bigint() - t0) / 1e9;
          const report = require(${JSON.stringify(join(dir, 'validate.json'))});
          console.log(JSON.stringify({ exit, wall, seconds: report.summary.seconds,
            exchanges: report.summary.exchanges, nonConforming: report.summary.nonConforming,
            maxRssKb: process.resourceUsage().maxRSS }));
        })();`;
      const r = child(code);
      const perSecond = r.exchanges / r.seconds;
      io.stdout(
        `  validate, generated NDJSON of ${n.toLocaleString('en-US')} exchanges (${r.nonConforming.toLocaleString('en-US')} not conforming), fresh process:`,
      );
      io.stdout(
        `    ${rate(perSecond)} exchanges/s checking (${r.seconds.toFixed(2)} s; ${r.wall.toFixed(2)} s with spec load and report); ` +
          `peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB` +
          (n === 200_000
            ? `; target ≥ 100,000/s: ${perSecond >= 100_000 ? 'met' : 'NOT met'}`
            : ''),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A mix of all five operations, one in 50 exchanges breaking a rule, one in 100 unmatched. */
export async function generateTraffic(file: string, n: number, createdBody: string): Promise<void> {
  const created = JSON.parse(createdBody);
  const withoutToken = {
    ...created.data,
    attributes: { ...created.data.attributes, token: undefined },
  };
  const listed = JSON.stringify({ data: [withoutToken], meta: {} });
  const updated = JSON.stringify({ data: withoutToken, meta: {} });
  const headers = { 'content-type': JSON_API };
  const lines = [
    { method: 'GET', path: '/auth/api_keys', status: 200, headers, body: listed },
    { method: 'POST', path: '/auth/api_keys', status: 201, headers, body: createdBody },
    {
      method: 'PUT',
      path: '/auth/api_keys/tok_ez2A3DVldnawP',
      status: 200,
      headers,
      body: createdBody,
    },
    {
      method: 'PATCH',
      path: '/auth/api_keys/tok_ez2A3DVldnawP',
      status: 200,
      headers,
      body: updated,
    },
    {
      method: 'DELETE',
      path: '/auth/api_keys/tok_ez2A3DVldnawP',
      status: 200,
      headers,
      body: '{"meta":{}}',
    },
  ].map((l) => JSON.stringify(l));
  const broken = JSON.stringify({
    method: 'POST',
    path: '/auth/api_keys',
    status: 201,
    headers,
    // A hyphen where the id pattern wants an underscore.
    body: JSON.stringify({
      ...created,
      data: { ...created.data, id: String(created.data.id).replace('_', '-') },
    }),
  });
  const unmatched = JSON.stringify({
    method: 'GET',
    path: '/servers',
    status: 200,
    headers,
    body: '{}',
  });
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    const line = i % 100 === 99 ? unmatched : i % 50 === 7 ? broken : lines[i % lines.length];
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

function ms(v: number): string {
  return `${v.toFixed(0)} ms`;
}

function rate(v: number): string {
  return Math.round(v).toLocaleString('en-US').padStart(9);
}
