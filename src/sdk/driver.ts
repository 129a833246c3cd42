import { spawn } from 'node:child_process';
import { SecretScrubber } from '../redact';
import type { InstalledDriver } from './install';
import type { DriverRun, DriverStep } from './types';

/**
 * Runs one SDK driver against a base URL and collects its JSON lines. The token travels in the
 * child's environment (LATITUDE_SDK_TOKEN), never on its command line; everything read back is
 * scrubbed of it again in case a driver slipped.
 */

export type Plan = 'lifecycle' | 'errors' | 'name-left-out';

export interface DriverOptions {
  baseUrl: string;
  token: string;
  plans: Plan[];
  /** Use this key id for update/rotate/delete instead of the created one (the pact stub). */
  keyId?: string;
  /** The id the not-found step asks for. */
  missingId?: string;
  /** The environment the driver's variables are picked from (never passed on whole). */
  env: NodeJS.ProcessEnv;
  /**
   * Names the driver gives its keys start with this (LATITUDE_SDK_NAME_PREFIX), e.g.
   * `lc-conformance-<runId>-sdk`, so a sweep recognises what a run left behind.
   */
  namePrefix?: string;
  timeoutMs?: number;
  scrubber?: SecretScrubber;
}

/**
 * Variables a driver may need from the parent: finding programs and a home, temporary files, the
 * locale, an HTTP proxy and its CA bundle. Nothing else (CI tokens, the account's
 * LATITUDE_API_TOKEN, cloud credentials) reaches third-party SDK code.
 */
export const PASSED_ENV = [
  'PATH',
  'HOME',
  'USERPROFILE',
  'SYSTEMROOT',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
];

/** The driver's whole environment: the passed variables that are set, the token and the prefix. */
export function driverEnv(
  parent: NodeJS.ProcessEnv,
  token: string,
  namePrefix?: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_ENV) {
    if (parent[name] !== undefined) env[name] = parent[name];
  }
  // Python must not write bytecode next to the cached driver or read a user's site packages.
  env.PYTHONDONTWRITEBYTECODE = '1';
  env.PYTHONNOUSERSITE = '1';
  env.LATITUDE_SDK_TOKEN = token;
  if (namePrefix) env.LATITUDE_SDK_NAME_PREFIX = namePrefix;
  return env;
}

export async function runDriver(driver: InstalledDriver, opts: DriverOptions): Promise<DriverRun> {
  const scrubber = opts.scrubber ?? new SecretScrubber();
  scrubber.add(opts.token);
  const args = [...driver.args, '--base-url', opts.baseUrl, '--plan', opts.plans.join(',')];
  if (opts.keyId) args.push('--key-id', opts.keyId);
  if (opts.missingId) args.push('--missing-id', opts.missingId);
  // Only what the driver needs: in particular not LATITUDESH_BEARER, which the SDKs read when no
  // token is configured (the no-token step must send none).
  const env = driverEnv(opts.env, opts.token, opts.namePrefix);

  return new Promise<DriverRun>((resolve) => {
    const child = spawn(driver.command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 180_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    let finished = false;
    const finish = (exitCode: number | null, spawnError?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const steps: DriverStep[] = [];
      let fatal: string | undefined = spawnError;
      for (const line of stdout.split('\n')) {
        if (!line.trim()) continue;
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          fatal ??= `driver printed a line that is not JSON: ${scrubber.scrub(line).slice(0, 200)}`;
          continue;
        }
        if (typeof parsed.fatal === 'string') fatal = scrubber.scrub(parsed.fatal);
        else if (typeof parsed.step === 'string') steps.push(scrubber.scrubValue(parsed) as never);
      }
      if (timedOut) fatal = `driver did not finish within ${(opts.timeoutMs ?? 180_000) / 1000}s`;
      else if (exitCode !== 0 && !fatal) fatal = `driver exited with code ${exitCode}`;
      resolve({
        sdk: driver.sdk,
        version: driver.version,
        steps,
        fatal,
        namePrefix: opts.namePrefix,
        exitCode,
        stderrTail: scrubber.scrub(stderr.trim().split('\n').slice(-8).join('\n')),
      });
    };
    child.on('error', (err) => finish(null, `driver could not start: ${err.message}`));
    child.on('close', (code) => finish(code));
  });
}

/** The step of a run by name. */
export function stepOf(run: DriverRun, name: string): DriverStep | undefined {
  return run.steps.find((s) => s.step === name);
}
