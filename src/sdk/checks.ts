import { stepOf } from './driver';
import type { PairedStep } from './pairing';
import { DriverRun, DriverStep, SDK_ERROR_CLASSES, KEY_ID_PATTERN } from './types';

/**
 * What a user of an SDK would notice, step by step: the call succeeded and gave the values they
 * need, or it failed with the SDK's error type and the right status. Each check is data.
 */

export interface SdkCheck {
  /** Stable code, e.g. `sdk.create.token`. */
  code: string;
  title: string;
  step: string;
  passed: boolean;
  expected: unknown;
  received: unknown;
}

/** The drivers' name prefix when none is given (LATITUDE_SDK_NAME_PREFIX unset). */
export const DRIVER_NAME_PREFIX = 'lc-conformance-sdk';
/** The driver's own name for the key it creates: `<prefix>-<sdk>`. */
export const CREATED_NAME = (sdk: string, prefix: string = DRIVER_NAME_PREFIX) =>
  `${prefix}-${sdk}`;
export const DEFAULT_NAME = 'Name of the API Key';

function check(
  out: SdkCheck[],
  code: string,
  title: string,
  step: string,
  passed: boolean,
  expected: unknown,
  received: unknown,
): void {
  out.push({ code, title, step, passed, expected, received });
}

function summary(s: DriverStep | undefined): unknown {
  if (!s) return 'step did not run';
  return s.ok
    ? { ok: true, status: s.status }
    : { ok: false, status: s.status, error: s.error?.class, error_code: s.error?.error_code };
}

function succeeded(
  out: SdkCheck[],
  run: DriverRun,
  step: string,
  status: number,
): DriverStep | undefined {
  const s = stepOf(run, step);
  check(
    out,
    `sdk.${step}.succeeds`,
    `${step} returns a result (HTTP ${status})`,
    step,
    !!s && s.ok && s.status === status,
    { ok: true, status },
    summary(s),
  );
  return s?.ok ? s : undefined;
}

function raised(out: SdkCheck[], run: DriverRun, step: string, status: number): void {
  const s = stepOf(run, step);
  const cls = SDK_ERROR_CLASSES[run.sdk];
  check(
    out,
    `sdk.${step}.raises`,
    `${step} raises the SDK's error type with status ${status}`,
    step,
    !!s && !s.ok && cls.test(s.error?.class ?? '') && (s.error?.status ?? s.status) === status,
    { ok: false, error: cls.source, status },
    summary(s),
  );
}

function keyChecks(out: SdkCheck[], s: DriverStep | undefined, step: string, withToken: boolean) {
  if (!s) return;
  const key = s.parsed?.key;
  check(
    out,
    `sdk.${step}.id`,
    `${step} parses an id of the documented form`,
    step,
    typeof key?.id === 'string' && KEY_ID_PATTERN.test(key.id),
    KEY_ID_PATTERN.source,
    key?.id ?? null,
  );
  if (withToken) {
    check(
      out,
      `sdk.${step}.token`,
      `${step} gives the caller the token, and its last slice matches it`,
      step,
      !!key?.token_present && !!key.last_slice_matches_token,
      { token_present: true, last_slice_matches_token: true },
      {
        token_present: key?.token_present,
        last_slice_matches_token: key?.last_slice_matches_token,
      },
    );
  }
}

/** The full lifecycle and error paths against a provider (reference or real). */
export function providerChecks(run: DriverRun): SdkCheck[] {
  const out: SdkCheck[] = [];
  succeeded(out, run, 'list', 200);
  const created = succeeded(out, run, 'create', 201);
  keyChecks(out, created, 'create', true);
  if (created) {
    check(
      out,
      'sdk.create.name',
      'create echoes the name sent',
      'create',
      created.parsed?.key?.name === CREATED_NAME(run.sdk, run.namePrefix),
      CREATED_NAME(run.sdk, run.namePrefix),
      created.parsed?.key?.name ?? null,
    );
  }
  const updated = succeeded(out, run, 'update_settings', 200);
  if (updated) {
    check(
      out,
      'sdk.update_settings.no_token',
      'the settings update shows no token',
      'update_settings',
      updated.parsed?.key?.token_present === false,
      false,
      updated.parsed?.key?.token_present,
    );
  }
  const rotated = succeeded(out, run, 'rotate', 200);
  keyChecks(out, rotated, 'rotate', true);
  const listed = succeeded(out, run, 'list_after', 200);
  if (listed) {
    check(
      out,
      'sdk.list_after.contains_key',
      'the list shows the created key and no token',
      'list_after',
      listed.parsed?.contains_key === true && listed.parsed?.any_token_present === false,
      { contains_key: true, any_token_present: false },
      {
        contains_key: listed.parsed?.contains_key,
        any_token_present: listed.parsed?.any_token_present,
      },
    );
  }
  succeeded(out, run, 'delete', 200);
  raised(out, run, 'unauthorized_no_token', 401);
  raised(out, run, 'unauthorized_wrong_token', 401);
  raised(out, run, 'not_found', 404);
  raised(out, run, 'create_without_name', 422);
  return out;
}

/**
 * Against the pact stub: every lifecycle request is one the contract describes, and the SDK
 * parses the contract's responses. The error paths are run but not judged here: the stub picks an
 * interaction by method and path only (the update, rotate and delete paths match any id through
 * their matchers), so whether it answers 401 or 404 says nothing about the SDK; the provider run
 * checks them.
 */
export function stubChecks(run: DriverRun, paired: PairedStep[]): SdkCheck[] {
  const out: SdkCheck[] = [];
  for (const { step, exchange } of paired) {
    if (
      !['list', 'create', 'update_settings', 'rotate', 'list_after', 'delete'].includes(step.step)
    ) {
      continue;
    }
    check(
      out,
      `sdk.${step.step}.described`,
      `${step.step}: the contract describes the request the SDK sends`,
      step.step,
      !!exchange && !exchange.unmatched,
      'an interaction with this method and path',
      exchange
        ? exchange.unmatched
          ? `no interaction for ${exchange.method} ${exchange.path}`
          : 'matched'
        : 'no request',
    );
    check(
      out,
      `sdk.${step.step}.parses`,
      `${step.step}: the SDK accepts the contract's response`,
      step.step,
      step.ok,
      { ok: true },
      summary(step),
    );
  }
  keyChecks(out, stepOf(run, 'create'), 'create', true);
  return out;
}
