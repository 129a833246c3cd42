import { UsageError } from '../errors';
import type { Io } from '../io';

export async function contracts(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('the "contracts" command is not built yet.');
}
