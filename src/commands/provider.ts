import { UsageError } from '../errors';
import type { Io } from '../io';

export async function provider(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('the "provider" command is not built yet.');
}
