import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ApiKeysClient } from '../../src/client';
import { serveProvider } from '../../src/commands/provider';
import { UsageError } from '../../src/errors';
import { bufferIo } from '../../src/io';
import { API_KEYS_PATH } from '../../src/provider';

const BIN = path.join(__dirname, '..', '..', 'bin', 'latitude-conformance.js');

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: () => string;
  exit: Promise<number | null>;
}

function spawnCli(args: string[]): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe', env: { ...process.env } });
  const lines: string[] = [];
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const parts = out.split('\n');
    out = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, stderr: () => err, exit };
}

async function untilListening(s: Spawned): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const line = s.lines.find((l) => l.startsWith('listening '));
    if (line) return line.slice('listening '.length);
    if (s.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`provider did not start: ${s.stderr()}`);
}

describe('latitude-conformance provider', () => {
  it('prints the generated token and the URL, serves, and exits 0 on SIGINT', async () => {
    const s = spawnCli(['provider', '--port', '0']);
    try {
      const url = await untilListening(s);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toMatch(/:0$/);
      expect(s.lines).toHaveLength(2);
      const token = s.lines[0];
      expect(token).toMatch(/^[0-9a-f]{36}$/);

      const client = new ApiKeysClient({ baseUrl: url, token, authScheme: 'raw' });
      expect((await client.create({ name: 'from the CLI' })).status).toBe(201);
      expect((await client.withToken('wrong').list()).status).toBe(401);
    } finally {
      s.child.kill('SIGINT');
    }
    expect(await s.exit).toBe(0);
    expect(s.stderr()).toContain('stopped (SIGINT)');
  });

  it('with --token prints no token; --fault and --rate-limit take effect; SIGTERM exits 0', async () => {
    const s = spawnCli([
      'provider',
      '--port',
      '0',
      '--token',
      'my-chosen-root-token',
      '--fault',
      'create-200',
      '--fault',
      'no-charset',
      '--rate-limit',
      'off',
      '--provider-states',
    ]);
    try {
      const url = await untilListening(s);
      expect(s.lines).toEqual([`listening ${url}`]);
      expect(s.stderr()).not.toContain('my-chosen-root-token');
      const client = new ApiKeysClient({ baseUrl: url, token: 'my-chosen-root-token' });
      const created = await client.create({ name: 'faulty' });
      expect(created.status).toBe(200);
      expect(created.headers['content-type']).toBe('application/vnd.api+json');
      const statuses = [];
      for (let i = 0; i < 61; i++) statuses.push((await client.list()).status);
      expect(statuses.every((st) => st === 200)).toBe(true);
      const state = await fetch(`${url}/_pact/provider-states`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ state: 'an API key exists', params: {}, action: 'setup' }),
      });
      expect(state.status).toBe(200);
      expect(((await state.json()) as { apiKeyId: string }).apiKeyId).toMatch(/^tok_/);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exit).toBe(0);
  });

  it('an unknown fault exits 2 naming the valid faults', async () => {
    const s = spawnCli(['provider', '--fault', 'no-such-fault']);
    expect(await s.exit).toBe(2);
    expect(s.stderr()).toMatch(
      /unknown fault "no-such-fault"\. Valid faults: hyphenated-id, .*slow-list/,
    );
    expect(s.lines).toEqual([]);
  });

  it.each([
    [['--fault', 'nope'], /unknown fault "nope"/],
    [['--rate-limit', 'maybe'], /--rate-limit takes on or off/],
    [['--port', 'eighty'], /--port takes a whole number/],
    [['--port', '70000'], /up to 65535/],
    [['--token', ''], /--token takes a non-empty token/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with a UsageError', async (args, message) => {
    const io = bufferIo();
    const run = serveProvider(args, io, () => Promise.resolve('test'));
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
    expect(io.out).toEqual([]);
  });

  it('in-process: serves until told to stop, then closes the port', async () => {
    const io = bufferIo();
    let listening: (url: string) => void = () => undefined;
    const listeningUrl = new Promise<string>((resolve) => (listening = resolve));
    const watched = {
      ...io,
      stdout: (line: string) => {
        io.stdout(line);
        if (line.startsWith('listening ')) listening(line.slice('listening '.length));
      },
    };
    let stop: (s: string) => void = () => undefined;
    const done = serveProvider(
      ['--token', 'in-process-token'],
      watched,
      () => new Promise((r) => (stop = r)),
    );
    // An early exit or crash fails here with its cause instead of a jest timeout.
    const url = await Promise.race([
      listeningUrl,
      done.then((code) => {
        throw new Error(`the provider ended (${code}) before listening: ${io.err.join('\n')}`);
      }),
    ]);
    const client = new ApiKeysClient({ baseUrl: url, token: 'in-process-token' });
    const marker = `in-process-${randomUUID()}`;
    expect((await client.create({ name: marker })).status).toBe(201);
    expect(await listedAt(url, 'in-process-token')).toContain(marker);
    stop('test');
    expect(await done).toBe(0);
    // Another test's server may be given the freed port; only this provider knows the marker.
    expect(await listedAt(url, 'in-process-token')).not.toContain(marker);
  });
});

/** The list body at `url`, or 'refused' when nothing accepts the connection. */
const listedAt = (url: string, token: string) =>
  fetch(url + API_KEYS_PATH, { headers: { Authorization: `Bearer ${token}` } }).then(
    (r) => r.text(),
    () => 'refused',
  );
