import type { RecordedExchange } from './recorder';
import type { DriverRun, DriverStep } from './types';

/** The method each driver step sends, to check the pairing of steps with recorded requests. */
export const STEP_METHODS: Record<string, string> = {
  list: 'GET',
  list_after: 'GET',
  create: 'POST',
  update_settings: 'PATCH',
  rotate: 'PUT',
  delete: 'DELETE',
  unauthorized_no_token: 'GET',
  unauthorized_wrong_token: 'GET',
  not_found: 'PATCH',
  create_without_name: 'POST',
  create_name_left_out: 'POST',
  cleanup_delete: 'DELETE',
};

export interface PairedStep {
  step: DriverStep;
  exchange?: RecordedExchange;
}

/**
 * Pairs each driver step with the request it sent. Every step sends exactly one request when it
 * sends any (retries are off by default), and a step that failed before sending reports no status,
 * so the steps with a status and the recorded exchanges line up in order.
 */
export function pairSteps(run: DriverRun, exchanges: RecordedExchange[]): PairedStep[] {
  const queue = [...exchanges];
  return run.steps.map((step) => {
    if (step.status === null || step.status === undefined) return { step };
    const expected = STEP_METHODS[step.step];
    const idx = queue.findIndex((e) => !expected || e.method === expected);
    if (idx < 0) return { step };
    const [exchange] = queue.splice(0, idx + 1).slice(-1);
    exchange.step = step.step;
    return { step, exchange };
  });
}
