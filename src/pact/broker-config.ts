import { UserError } from '../errors';

/** The Pact Broker is not configured, or configured in a way that would leak a credential. */
export class BrokerConfigError extends UserError {}

export type BrokerAuth =
  { kind: 'token'; token: string } | { kind: 'basic'; username: string; password: string };

/** Where the broker is and how to authenticate: read from the environment only. */
export interface BrokerConfig {
  baseUrl: string;
  auth: BrokerAuth;
}

/**
 * Reads PACT_BROKER_BASE_URL and PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME and
 * PACT_BROKER_PASSWORD). A token wins over a username and password when both are set, so the
 * broker never sees two credentials. There are no flags for these on purpose: a value on a command
 * line is visible in `ps`, in shell history and in CI logs.
 */
export function brokerConfigFromEnv(env: NodeJS.ProcessEnv): BrokerConfig {
  const raw = env.PACT_BROKER_BASE_URL?.trim();
  if (!raw) {
    throw new BrokerConfigError(
      'PACT_BROKER_BASE_URL is not set: set it to your Pact Broker or PactFlow URL (e.g. https://your-team.pactflow.io), and PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD) to its credentials.',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BrokerConfigError(`PACT_BROKER_BASE_URL is not a URL: "${raw}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BrokerConfigError(
      `PACT_BROKER_BASE_URL must be an http or https URL, got "${url.protocol}".`,
    );
  }
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    throw new BrokerConfigError(
      `PACT_BROKER_BASE_URL (${url.href}) carries credentials: remove them from the URL, which ends up in logs, and set PACT_BROKER_TOKEN or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD instead.`,
    );
  }
  const baseUrl = raw.replace(/\/+$/, '');
  const token = env.PACT_BROKER_TOKEN;
  if (token) return { baseUrl, auth: { kind: 'token', token } };
  const username = env.PACT_BROKER_USERNAME;
  const password = env.PACT_BROKER_PASSWORD;
  if (username && password) return { baseUrl, auth: { kind: 'basic', username, password } };
  if (username || password) {
    throw new BrokerConfigError(
      `PACT_BROKER_${username ? 'PASSWORD' : 'USERNAME'} is not set: basic authentication needs both PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD (or set PACT_BROKER_TOKEN instead).`,
    );
  }
  throw new BrokerConfigError(
    'No Pact Broker credentials: set PACT_BROKER_TOKEN (PactFlow, or a broker with bearer tokens) or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD (a broker with basic auth).',
  );
}

// Passed through to the pact CLI when set: its own tuning knobs, TLS trust and proxies. Nothing
// else of the parent's environment reaches it, LATITUDE_API_TOKEN least of all.
const PASSED_THROUGH = [
  'PATH',
  'HOME',
  'TMPDIR',
  'SYSTEMROOT',
  'PACT_BROKER_HTTP_RETRIES',
  'PACT_BROKER_CAN_I_DEPLOY_DRY_RUN',
  'PACT_BROKER_CAN_I_DEPLOY_IGNORE',
  'SSL_CERT_FILE',
  'SSL_SKIP_VERIFICATION',
  'SSL_TRUST_STORE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/** The environment the pact CLI runs with: the broker location and credential travel here. */
export function childEnv(config: BrokerConfig, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of PASSED_THROUGH) if (env[name] !== undefined) out[name] = env[name];
  out.PACT_DO_NOT_TRACK = 'true';
  out.PACT_BROKER_BASE_URL = config.baseUrl;
  if (config.auth.kind === 'token') out.PACT_BROKER_TOKEN = config.auth.token;
  else {
    out.PACT_BROKER_USERNAME = config.auth.username;
    out.PACT_BROKER_PASSWORD = config.auth.password;
  }
  return out;
}

/** The values that must never appear in anything this command prints. */
export function secretsOf(config: BrokerConfig): string[] {
  return config.auth.kind === 'token' ? [config.auth.token] : [config.auth.password];
}
