import type { Io } from '../src/io';

export async function suite(io: Io): Promise<void> {
  io.stdout('  not measured yet');
}
