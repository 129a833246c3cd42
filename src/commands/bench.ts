import { UsageError } from '../errors';
import type { Io } from '../io';

export async function bench(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('the "bench" command is not built yet.');
}
