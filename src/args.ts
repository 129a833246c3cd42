import { parseArgs, ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

/**
 * node's parseArgs, strict, with its errors turned into a UsageError (exit 2, one line, no stack).
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A whole number from a flag, or a UsageError naming the flag. */
export function intFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new UsageError(`--${name} takes a whole number of at least ${min}, got "${value}".`);
  }
  return Number(value);
}
