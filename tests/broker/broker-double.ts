import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request as the double received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json?: unknown;
}

/** What the matrix says about a version: deployable (yes), not deployable (no), or not yet known. */
export type Verdict = 'yes' | 'no' | 'unknown';

export interface BrokerDoubleOptions {
  /** Accept connections and never answer, like a broker stuck behind a load balancer. */
  hang?: boolean;
  /** Answer every request with this status instead of the resource (401 and 500 cases). */
  failWith?: number;
  /** Bearer token the double expects; any other Authorization value is answered with 401. */
  token?: string;
  /** Verdicts the matrix hands out in turn; the last one repeats. */
  verdicts?: Verdict[];
  /** Environments the broker knows, by name. */
  environments?: string[];
  /**
   * Error bodies repeat the Authorization header they received, as some proxies and brokers do:
   * the CLI prints error bodies, so this shows whether a credential can leak through them.
   */
  echoAuthorization?: boolean;
  /** Called on every request before it is answered, e.g. to look at the client process. */
  onRequest?: (req: ReceivedRequest) => void;
}

export interface BrokerDouble {
  url: string;
  received: ReceivedRequest[];
  close: () => Promise<void>;
}

const HAL = 'application/hal+json;charset=utf-8';

/**
 * A Pact Broker double: the HAL resources the `pact broker` CLI follows for publish, can-i-deploy
 * and record-deployment, shaped as the Pact Broker documents them (index relations,
 * /contracts/publish, /matrix, /environments, pacticipant versions with pb:record-deployment
 * links), recording every request it receives. It is not a broker: it stores nothing.
 */
export async function startBrokerDouble(opts: BrokerDoubleOptions = {}): Promise<BrokerDouble> {
  const received: ReceivedRequest[] = [];
  const verdicts = [...(opts.verdicts ?? ['yes'])];
  const environments = (opts.environments ?? ['test', 'production']).map((name, i) => ({
    name,
    uuid: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
  }));
  let base = '';

  const handle = (req: ReceivedRequest, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': HAL });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string) =>
      send(status, {
        error: {
          message,
          ...(opts.echoAuthorization && { authorization: req.headers.authorization }),
        },
      });
    if (opts.failWith) return error(opts.failWith, `double answers ${opts.failWith}`);
    if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) {
      return error(401, 'Unauthorized');
    }
    const url = new URL(req.path, base);
    const p = url.pathname;
    if (req.method === 'GET' && p === '/') return send(200, index(base));
    if (req.method === 'POST' && p === '/contracts/publish') return send(200, published(base, req));
    if (req.method === 'GET' && p === '/matrix') {
      const verdict = verdicts.length > 1 ? verdicts.shift()! : verdicts[0];
      return send(200, matrix(url, verdict));
    }
    if (req.method === 'GET' && p === '/environments') {
      return send(200, {
        _embedded: { environments: environments.map((e) => environment(base, e)) },
        _links: { self: { href: `${base}/environments` } },
      });
    }
    const envMatch = p.match(/^\/environments\/([^/]+)$/);
    if (req.method === 'GET' && envMatch) {
      const e = environments.find((x) => x.uuid === envMatch[1]);
      return e ? send(200, environment(base, e)) : send(404, {});
    }
    const version = p.match(/^\/pacticipants\/([^/]+)\/versions\/([^/]+)$/);
    if (req.method === 'GET' && version) {
      const [, name, number] = version;
      return send(200, {
        number: decodeURIComponent(number),
        _links: {
          self: { href: `${base}${p}` },
          'pb:record-deployment': environments.map((e) => ({
            title: `Record deployment to ${e.name}`,
            name: e.name,
            href: `${base}/pacticipants/${name}/versions/${number}/deployed-versions/environment/${e.uuid}`,
          })),
        },
      });
    }
    const deploy = p.match(
      /^\/pacticipants\/([^/]+)\/versions\/([^/]+)\/deployed-versions\/environment\/([^/]+)$/,
    );
    if (req.method === 'POST' && deploy) {
      const e = environments.find((x) => x.uuid === deploy[3]);
      if (!e) return send(404, {});
      return send(201, {
        uuid: 'ffffffff-0000-4000-8000-000000000001',
        currentlyDeployed: true,
        target: null,
        createdAt: '2026-01-14T15:56:29+00:00',
        _embedded: { environment: environment(base, e) },
        _links: {
          self: { href: `${base}/deployed-versions/ffffffff-0000-4000-8000-000000000001` },
        },
      });
    }
    return send(404, { error: { message: `the double does not serve ${req.method} ${p}` } });
  };

  const server: Server = createServer((raw: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const req: ReceivedRequest = {
        method: raw.method ?? 'GET',
        path: raw.url ?? '/',
        headers: raw.headers,
        body,
      };
      try {
        if (body) req.json = JSON.parse(body);
      } catch {
        // a non-JSON body is recorded as text only
      }
      received.push(req);
      opts.onRequest?.(req);
      if (!opts.hang) handle(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function index(base: string) {
  return {
    _links: {
      self: { href: base, title: 'Index' },
      'pb:publish-contracts': { href: `${base}/contracts/publish`, title: 'Publish contracts' },
      'pb:latest-provider-pacts': {
        href: `${base}/pacts/provider/{provider}/latest`,
        title: 'Latest pacts by provider',
        templated: true,
      },
      'pb:pacticipants': { href: `${base}/pacticipants`, title: 'Pacticipants' },
      'pb:pacticipant': { href: `${base}/pacticipants/{pacticipant}`, templated: true },
      'pb:pacticipant-version': {
        href: `${base}/pacticipants/{pacticipant}/versions/{version}`,
        templated: true,
      },
      'pb:environments': { href: `${base}/environments`, title: 'Environments' },
      'pb:environment': { href: `${base}/environments/{uuid}`, templated: true },
      'pb:can-i-deploy-pacticipant-version-to-environment': {
        href: `${base}/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}`,
        templated: true,
      },
      curies: [{ name: 'pb', href: `${base}/doc/{rel}?context=index`, templated: true }],
    },
  };
}

function environment(base: string, e: { name: string; uuid: string }) {
  return {
    uuid: e.uuid,
    name: e.name,
    displayName: e.name,
    production: e.name === 'production',
    _links: { self: { href: `${base}/environments/${e.uuid}`, name: e.name } },
  };
}

function published(base: string, req: ReceivedRequest) {
  const body = req.json as {
    pacticipantName: string;
    pacticipantVersionNumber: string;
    branch?: string;
    contracts: { providerName: string }[];
  };
  const v = `${base}/pacticipants/${body.pacticipantName}/versions/${body.pacticipantVersionNumber}`;
  return {
    notices: [
      {
        type: 'success',
        text: `Pact published for ${body.pacticipantName} version ${body.pacticipantVersionNumber}.`,
      },
    ],
    logs: [],
    _embedded: {
      pacticipant: {
        name: body.pacticipantName,
        _links: { self: { href: `${base}/pacticipants/${body.pacticipantName}` } },
      },
      version: {
        number: body.pacticipantVersionNumber,
        branch: body.branch,
        _links: { self: { href: v, name: body.pacticipantVersionNumber, title: 'Version' } },
      },
    },
    _links: {
      'pb:pacticipant': {
        href: `${base}/pacticipants/${body.pacticipantName}`,
        name: body.pacticipantName,
        title: 'Pacticipant',
      },
      'pb:pacticipant-version': {
        href: v,
        name: body.pacticipantVersionNumber,
        title: 'Pacticipant version',
      },
      'pb:pacticipant-version-tags': [],
      'pb:contracts': body.contracts.map((c) => ({
        title: 'Pact',
        name: `Pact between ${body.pacticipantName} (${body.pacticipantVersionNumber}) and ${c.providerName}`,
        href: `${base}/pacts/provider/${c.providerName}/consumer/${body.pacticipantName}/version/${body.pacticipantVersionNumber}`,
      })),
    },
  };
}

function matrix(url: URL, verdict: Verdict) {
  const pacticipant = url.searchParams.get('q[][pacticipant]') ?? 'unknown';
  const version = url.searchParams.get('q[][version]') ?? 'unknown';
  const environment = url.searchParams.get('environment') ?? 'unknown';
  const success = verdict === 'yes' ? true : verdict === 'no' ? false : undefined;
  const reason = {
    yes: 'All required verification results are published and successful',
    no: 'The verification for the pact between the latest version of the consumer and the provider failed',
    unknown: 'Missing one or more required verification results',
  }[verdict];
  return {
    summary: {
      deployable: success ?? null,
      reason,
      success: verdict === 'yes' ? 1 : 0,
      failed: verdict === 'no' ? 1 : 0,
      unknown: verdict === 'unknown' ? 1 : 0,
    },
    notices: [
      {
        type: verdict === 'yes' ? 'success' : 'error',
        text: `${verdict === 'yes' ? 'Computer says yes' : 'Computer says no'} ${reason} (${environment})`,
      },
    ],
    matrix: [
      {
        consumer: { name: pacticipant, version: { number: version } },
        provider: { name: 'Latitude.sh API', version: { number: 'p1' } },
        pact: { createdAt: '2026-01-14T15:56:29+00:00' },
        verificationResult:
          success === undefined ? null : { success, verifiedAt: '2026-01-14T15:56:29+00:00' },
      },
    ],
  };
}
