/** The outcome of one check on one piece of evidence. Checks are pure functions returning these. */
export type Verdict =
  | { ok: true; message?: string }
  | { ok: false; message: string; pointer?: string; expected: unknown; received: unknown };

export const pass = (message?: string): Verdict => ({ ok: true, message });

export const fail = (
  message: string,
  expected: unknown,
  received: unknown,
  pointer = '',
): Verdict => ({ ok: false, message, expected, received, pointer });
