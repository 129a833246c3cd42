/**
 * Errors a user can cause (a bad spec, a missing file, an unreachable target, a rejected token).
 * The CLI prints their message as one paragraph and exits 2; it never shows their stack.
 */
export class UserError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong flags or arguments on the command line. */
export class UsageError extends UserError {}

/** A spec that cannot be read, parsed, resolved or is not OpenAPI 3.x. */
export class SpecError extends UserError {}

/** An input file (recorded traffic, pact file) that cannot be read or is not what it claims. */
export class InputError extends UserError {}

/** The target provider cannot be reached, or it rejected the credentials it was given. */
export class TargetError extends UserError {}
