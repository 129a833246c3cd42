import { UsageError } from '../errors';
import type { Io } from '../io';

export async function verifyCommand(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('pact verify is not built yet.');
}
