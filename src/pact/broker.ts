import { UsageError } from '../errors';
import type { Io } from '../io';

export async function brokerCommand(sub: string, _args: string[], _io: Io): Promise<number> {
  throw new UsageError(`pact ${sub} is not built yet.`);
}
