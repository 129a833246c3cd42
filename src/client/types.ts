/** The API-key resource as the spec describes it (nothing is required in the schema). */
export interface ApiKeyAttributes {
  name?: string;
  api_version?: string;
  token?: string;
  token_last_slice?: string;
  read_only?: boolean | null;
  allowed_ips?: string[] | null;
  last_used_at?: string | null;
  user?: { id?: string; email?: string };
  created_at?: string;
  updated_at?: string;
  [extra: string]: unknown;
}

export interface ApiKey {
  id?: string;
  type?: string;
  attributes?: ApiKeyAttributes;
  [extra: string]: unknown;
}

export interface ApiKeyDocument {
  data?: ApiKey;
  meta?: Record<string, unknown>;
}

export interface ApiKeyListDocument {
  data?: ApiKey[];
  meta?: Record<string, unknown>;
}

export interface JsonApiError {
  code?: string | null;
  status?: string;
  title?: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
  meta?: Record<string, unknown>;
}

export interface ErrorDocument {
  errors?: JsonApiError[];
}

/** What a client may send when creating a key. */
export interface CreateApiKeyInput {
  name: string;
  read_only?: boolean;
  allowed_ips?: string[];
}

/** What a client may send to rotate or update a key (every attribute optional). */
export interface UpdateApiKeyInput {
  name?: string;
  read_only?: boolean;
  allowed_ips?: string[];
}

export type OperationId =
  'get-api-keys' | 'post-api-key' | 'rotate-api-key' | 'update-api-key' | 'delete-api-key';
