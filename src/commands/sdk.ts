import { UsageError } from '../errors';
import type { Io } from '../io';

export async function sdk(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('the "sdk" command is not built yet.');
}
