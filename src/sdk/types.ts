/**
 * Shared shapes of the SDK verification: which SDK at which version, what its driver printed.
 */
export type SdkName = 'python' | 'go';

/** The versions `npm run sdk:verify` checks when no flag names another. */
export const PINNED_VERSIONS = {
  python: '3.4.6',
  go: 'v1.19.3',
} as const;

/** The error class each SDK raises for an error response, as its driver reports it. */
export const SDK_ERROR_CLASSES: Record<SdkName, RegExp> = {
  python: /^APIError$/,
  go: /^\*components\.APIError$|^\*components\.ErrorObject$/,
};

/** An api_key id as the spec documents it (`tok_…`): what a parsed id must look like. */
export const KEY_ID_PATTERN = /^[a-zA-Z]+_[a-zA-Z0-9]+$/;

/** What the driver parsed for one api_key: the token reduced to facts about it. */
export interface ParsedKey {
  id?: string | null;
  type?: string | null;
  name?: string | null;
  api_version?: string | null;
  token_present: boolean;
  token_length?: number;
  token_last_slice?: string | null;
  last_slice_matches_token: boolean;
  read_only?: unknown;
  allowed_ips?: unknown;
  created_at?: string | null;
  created_at_has_zone?: boolean;
  updated_at?: string | null;
  user_id?: string | null;
}

export interface ParsedList {
  count: number;
  ids: string[];
  any_token_present: boolean;
  contains_key: boolean;
}

export interface DriverError {
  class: string;
  module?: string;
  is_sdk_error?: boolean;
  message?: string;
  status?: number;
  error_code?: string;
  cause?: string;
}

/** One JSON line of a driver. */
export interface DriverStep {
  sdk: SdkName;
  sdk_version: string;
  step: string;
  call: string;
  ok: boolean;
  status: number | null;
  response_content_type?: string | null;
  parsed?: { key?: ParsedKey | null; returned?: unknown } & Partial<ParsedList>;
  error?: DriverError;
  note?: string;
}

export interface DriverRun {
  sdk: SdkName;
  version: string;
  steps: DriverStep[];
  /** A driver failure (not an SDK result): bad arguments, a crash, a time-out. */
  fatal?: string;
  exitCode: number | null;
  /** The last lines the driver wrote on stderr, scrubbed. */
  stderrTail: string;
  /** The prefix the driver was given for its keys' names (LATITUDE_SDK_NAME_PREFIX). */
  namePrefix?: string;
}
