import { UsageError } from '../errors';
import type { Io } from '../io';

export async function validate(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('the "validate" command is not built yet.');
}
