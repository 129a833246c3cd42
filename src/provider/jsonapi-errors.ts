/**
 * Every error the provider answers, as JSON:API error objects. The 401, 404, 400 (token written)
 * and 429 bodies are the ones recorded from the real API (see the facts file); the rest follow the
 * same shape with codes of their own, listed in the README's reference provider section.
 */
export interface ErrorObject {
  code: string;
  status: string;
  title: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
  meta: Record<string, unknown>;
}

export interface ProviderError {
  httpStatus: number;
  errors: ErrorObject[];
  headers?: Record<string, string>;
}

const one = (httpStatus: number, error: ErrorObject, headers?: Record<string, string>) => ({
  httpStatus,
  errors: [error],
  headers,
});

export const invalidToken = (): ProviderError =>
  one(401, {
    code: 'INVALID_TOKEN',
    status: 'unauthorized',
    title: 'Invalid Token',
    detail: 'Invalid Token',
    meta: {},
  });

export const notFound = (): ProviderError =>
  one(404, {
    code: 'not_found',
    status: '404',
    title: 'Error',
    detail: 'Specified Record Not Found',
    meta: {},
  });

export const routeNotFound = (method: string, path: string): ProviderError =>
  one(404, {
    code: 'not_found',
    status: '404',
    title: 'Error',
    detail: `No route matches ${method} ${path}`,
    meta: {},
  });

export const methodNotAllowed = (method: string, allow: string[]): ProviderError =>
  one(
    405,
    {
      code: 'method_not_allowed',
      status: '405',
      title: 'Method Not Allowed',
      detail: `${method} is not allowed here; allowed: ${allow.join(', ')}`,
      meta: {},
    },
    { Allow: allow.join(', ') },
  );

export const tokenNotWritable = (): ProviderError =>
  one(400, {
    code: 'bad_request',
    status: '400',
    title: 'Request Error',
    detail: 'data.attributes.token cannot be written',
    meta: {},
  });

export const badRequest = (detail: string): ProviderError =>
  one(400, { code: 'bad_request', status: '400', title: 'Request Error', detail, meta: {} });

export const unsupportedMediaType = (received: string | undefined): ProviderError =>
  one(415, {
    code: 'unsupported_media_type',
    status: '415',
    title: 'Unsupported Media Type',
    detail:
      'Content-Type must be application/json or application/vnd.api+json' +
      (received ? `, got ${received}` : ', got none'),
    meta: {},
  });

export const payloadTooLarge = (limit: number): ProviderError =>
  one(413, {
    code: 'payload_too_large',
    status: '413',
    title: 'Payload Too Large',
    detail: `The request body exceeds ${limit} bytes`,
    meta: {},
  });

export const readOnlyKey = (): ProviderError =>
  one(403, {
    code: 'READ_ONLY_API_KEY',
    status: '403',
    title: 'Forbidden',
    detail: 'This API key is read-only: it can only perform GET requests',
    meta: {},
  });

export const ipNotAllowed = (): ProviderError =>
  one(403, {
    code: 'IP_NOT_ALLOWED',
    status: '403',
    title: 'Forbidden',
    detail: "This request comes from an address outside the API key's allowed_ips",
    meta: {},
  });

export const rateLimited = (retryAfterSeconds: number): ProviderError =>
  one(
    429,
    {
      code: 'RATE_LIMIT_EXCEEDED',
      title: 'Rate Limit Exceeded',
      status: '429',
      detail: 'Too many requests. Please slow down and retry.',
      meta: { retry_after: retryAfterSeconds },
    },
    { 'Retry-After': String(retryAfterSeconds) },
  );

export interface ValidationProblem {
  /** JSON pointer into the request body, e.g. /data/attributes/name */
  pointer: string;
  /** The attribute named in meta.attribute, e.g. name */
  attribute: string;
  /** Rails-style message without the attribute, e.g. "can't be blank" */
  message: string;
}

export const validationFailed = (problems: ValidationProblem[]): ProviderError => ({
  httpStatus: 422,
  errors: problems.map((p) => ({
    code: 'VALIDATION_ERROR',
    status: '422',
    title: 'Validation Error',
    detail: `${p.attribute} ${p.message}`,
    source: { pointer: p.pointer },
    meta: { attribute: p.attribute, message: p.message },
  })),
});

export const internalError = (
  detail = 'The server could not complete the request',
): ProviderError =>
  one(500, {
    code: 'internal_server_error',
    status: '500',
    title: 'Internal Server Error',
    detail,
    meta: {},
  });
