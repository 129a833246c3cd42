import { UsageError } from '../errors';
import type { Io } from '../io';

export async function pact(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('the "pact" command is not built yet.');
}
