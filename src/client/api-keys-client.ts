import type {
  ApiKeyDocument,
  ApiKeyListDocument,
  CreateApiKeyInput,
  ErrorDocument,
  OperationId,
  UpdateApiKeyInput,
} from './types';

export const JSON_API = 'application/vnd.api+json';

/** Everything about one HTTP exchange; the conformance checks and reports are built from these. */
export interface Exchange {
  operationId: OperationId | string;
  method: string;
  url: string;
  path: string;
  requestHeaders: Record<string, string>;
  requestBody: string | undefined;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
  durationMs: number;
}

export type SendPolicy = (
  attempt: () => Promise<Response>,
  request: { method: string; authorization: string | undefined },
) => Promise<Response>;

/** A response of any status: the client never throws on 4xx/5xx, callers inspect `status`. */
export interface ApiResponse<T> {
  status: number;
  headers: Record<string, string>;
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  body: (T & ErrorDocument) | undefined;
  exchange: Exchange;
}

export interface ClientOptions {
  baseUrl: string;
  /** Sent as `Authorization`; omitted when undefined (to exercise 401). */
  token?: string;
  /** `bearer` (the docs: `Bearer <t>`) or `raw` (what the SDKs send). Default: bearer. */
  authScheme?: 'bearer' | 'raw';
  /** Per-request timeout; a timeout is a ClientTimeoutError, never a hang. Default 10 s. */
  timeoutMs?: number;
  /** Injected fetch (tests). */
  fetch?: typeof fetch;
  /**
   * Decides when each attempt goes out and whether to try again: the conformance run paces
   * requests and retries 429 through it. Every attempt is a fresh request with its own timeout,
   * so time spent waiting for the rate budget never eats into a request's timeout.
   */
  sendPolicy?: SendPolicy;
  userAgent?: string;
  /** Called after every exchange (including error statuses). */
  onExchange?: (exchange: Exchange) => void;
}

export class ClientTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${path} got no answer within ${timeoutMs} ms`);
    this.name = 'ClientTimeoutError';
  }
}

export class ClientNetworkError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    cause: unknown,
  ) {
    super(`${method} ${url} could not be sent: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ClientNetworkError';
  }
}

/** A request outside the five typed calls: negative tests send odd bodies and headers. */
export interface RawRequest {
  operationId: OperationId | string;
  method: string;
  path: string;
  /** Sent as is when a string; JSON-encoded otherwise; no body when undefined. */
  body?: unknown;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/**
 * The Latitude.sh API-key resource over fetch. Base URL and token come through the constructor
 * (only entry points read the environment). Sends and accepts `application/vnd.api+json`.
 */
export class ApiKeysClient {
  private readonly baseUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** The same client with another token (undefined: no Authorization header at all). */
  withToken(token: string | undefined, authScheme = this.options.authScheme): ApiKeysClient {
    return new ApiKeysClient({ ...this.options, token, authScheme });
  }

  list(): Promise<ApiResponse<ApiKeyListDocument>> {
    return this.send({ operationId: 'get-api-keys', method: 'GET', path: '/auth/api_keys' });
  }

  create(input: CreateApiKeyInput): Promise<ApiResponse<ApiKeyDocument>> {
    return this.send({
      operationId: 'post-api-key',
      method: 'POST',
      path: '/auth/api_keys',
      body: { data: { type: 'api_keys', attributes: input } },
    });
  }

  /** PUT: a new token for the key (the old one stops working). */
  rotate(id: string, input: UpdateApiKeyInput = {}): Promise<ApiResponse<ApiKeyDocument>> {
    return this.send({
      operationId: 'rotate-api-key',
      method: 'PUT',
      path: `/auth/api_keys/${encodeURIComponent(id)}`,
      body: { data: { id, type: 'api_keys', attributes: input } },
    });
  }

  /** PATCH: new settings, same token. */
  update(id: string, input: UpdateApiKeyInput): Promise<ApiResponse<ApiKeyDocument>> {
    return this.send({
      operationId: 'update-api-key',
      method: 'PATCH',
      path: `/auth/api_keys/${encodeURIComponent(id)}`,
      body: { data: { id, type: 'api_keys', attributes: input } },
    });
  }

  delete(id: string): Promise<ApiResponse<{ meta?: Record<string, unknown> }>> {
    return this.send({
      operationId: 'delete-api-key',
      method: 'DELETE',
      path: `/auth/api_keys/${encodeURIComponent(id)}`,
    });
  }

  /** Any request, for negative and fuzz tests; same headers, timeout and reporting as the rest. */
  send<T = unknown>(req: RawRequest): Promise<ApiResponse<T>> {
    return this.exchange<T>(req);
  }

  private async exchange<T>(req: RawRequest): Promise<ApiResponse<T>> {
    const url = this.baseUrl + req.path;
    const headers: Record<string, string> = { Accept: JSON_API };
    if (this.options.userAgent) headers['User-Agent'] = this.options.userAgent;
    if (this.options.token !== undefined) {
      headers.Authorization =
        this.options.authScheme === 'raw' ? this.options.token : `Bearer ${this.options.token}`;
    }
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      if (req.contentType !== null) headers['Content-Type'] = req.contentType ?? JSON_API;
    }
    Object.assign(headers, req.headers);

    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const doFetch = this.options.fetch ?? fetch;
    const started = performance.now();
    let res: Response;
    let text: string;
    try {
      const attempt = () =>
        doFetch(url, { method: req.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      res = await (this.options.sendPolicy
        ? this.options.sendPolicy(attempt, {
            method: req.method,
            authorization: headers.Authorization,
          })
        : attempt());
      text = await res.text();
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ClientTimeoutError(req.method, req.path, timeoutMs);
      }
      throw new ClientNetworkError(req.method, url, (err as { cause?: unknown })?.cause ?? err);
    }
    const responseHeaders: Record<string, string> = {};
    res.headers.forEach((v, k) => (responseHeaders[k] = v));
    const exchange: Exchange = {
      operationId: req.operationId,
      method: req.method,
      url,
      path: req.path,
      requestHeaders: headers,
      requestBody: body,
      status: res.status,
      responseHeaders,
      responseBody: text,
      durationMs: performance.now() - started,
    };
    this.options.onExchange?.(exchange);
    let parsed: (T & ErrorDocument) | undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text) as T & ErrorDocument;
      } catch {
        parsed = undefined;
      }
    }
    return { status: res.status, headers: responseHeaders, rawBody: text, body: parsed, exchange };
  }
}
