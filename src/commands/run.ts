import { UsageError } from '../errors';
import type { Io } from '../io';

export async function run(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('the "run" command is not built yet.');
}
