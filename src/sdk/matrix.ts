import { FAULTS, FaultName } from '../provider/faults';
import { startProvider } from '../provider';
import { SecretScrubber } from '../redact';
import { runDriver } from './driver';
import type { InstalledDriver } from './install';
import { pairSteps, PairedStep } from './pairing';
import { startRecordingProxy } from './recorder';
import { DriverRun, KEY_ID_PATTERN, SDK_ERROR_CLASSES, SdkName } from './types';

/**
 * The compatibility matrix: every SDK version against the reference provider started with one
 * fault at a time. Each cell says whether the SDK accepts the deviation (and the caller still gets
 * correct, complete values), rejects it (raises, and which error), or silently misparses it (no
 * error, but what the caller gets is wrong or missing).
 */

/** Faults an SDK might or might not tolerate, in the order the report lists them. */
export const MATRIX_FAULTS: FaultName[] = [
  'delete-204',
  'json-content-type',
  'no-content-type',
  'no-charset',
  'create-200',
  'null-in-non-nullable',
  'naive-timestamp',
  'missing-token',
  'wrong-last-slice',
  'extra-fields',
  'wrong-type',
  'read-only-string',
  'allowed-ips-string',
  'hyphenated-id',
  'bad-email',
  'error-not-jsonapi',
];

/** The subset `npm test` runs: one fault of each outcome the facts predict. */
export const QUICK_MATRIX_FAULTS: FaultName[] = [
  'delete-204',
  'json-content-type',
  'naive-timestamp',
  'missing-token',
  'extra-fields',
];

export type Outcome = 'accepts' | 'rejects' | 'misparses' | 'not-run';

export interface MatrixCell {
  sdk: SdkName;
  version: string;
  /** `none` is the baseline run with no fault. */
  fault: FaultName | 'none';
  outcome: Outcome;
  /** Steps the SDK raised on although the provider answered 2xx: `step: ErrorClass`. */
  rejections: string[];
  /** What the caller got wrong or missing with no error raised. */
  misparses: string[];
  /** Deviations the SDK let through unchanged (faithfully parsed, not what the contract says). */
  notes: string[];
  /** Why the cell could not be filled (driver failure). */
  reason?: string;
}

export interface MatrixReport {
  generatedAt: string;
  faults: Array<{ name: FaultName | 'none'; description: string }>;
  sdks: Array<{ sdk: SdkName; version: string; status: 'run' | 'not-run'; reason?: string }>;
  cells: MatrixCell[];
}

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/i;
const KEY_STEPS_WITH_TOKEN = new Set(['create', 'rotate', 'create_name_left_out']);
const ERROR_STEPS = new Set(['unauthorized_no_token', 'unauthorized_wrong_token', 'not_found']);

type WireKey = { id?: unknown; type?: unknown; attributes?: Record<string, unknown> } | undefined;

function wireKey(body: unknown): WireKey {
  const data = (body as { data?: unknown } | undefined)?.data;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as WireKey) : undefined;
}

/** Compares what one step parsed with what the provider sent, in the caller's terms. */
function judgeStep(p: PairedStep, sdk: SdkName, cell: MatrixCell): void {
  const { step, exchange } = p;
  if (!exchange || exchange.status === undefined) {
    if (!step.ok) cell.notes.push(`${step.step}: raised ${step.error?.class} before any response`);
    return;
  }
  const wireOk = exchange.status >= 200 && exchange.status < 300;
  if (!wireOk) {
    if (step.ok) {
      cell.misparses.push(`${step.step}: a ${exchange.status} answer was returned as a success`);
    } else if (!SDK_ERROR_CLASSES[sdk].test(step.error?.class ?? '')) {
      cell.rejections.push(
        `${step.step}: ${exchange.status} raised ${step.error?.class}, not the SDK's error type`,
      );
    } else if (!ERROR_STEPS.has(step.step) && step.step !== 'create_without_name') {
      cell.notes.push(`${step.step}: the provider answered ${exchange.status}`);
    }
    return;
  }
  if (!step.ok) {
    const cause = step.error?.cause ? ` (${step.error.cause})` : '';
    cell.rejections.push(`${step.step}: ${step.error?.class ?? 'error'}${cause}`);
    return;
  }
  const key = step.parsed?.key;
  const wire = wireKey(exchange.responseBody);
  if (key && wire) {
    const attrs = wire.attributes ?? {};
    if (key.id !== wire.id) cell.misparses.push(`${step.step}: id differs from the response`);
    else if (typeof wire.id === 'string' && !KEY_ID_PATTERN.test(wire.id)) {
      cell.notes.push(`${step.step}: an id that breaks the id format, not noticed`);
    }
    if (KEY_STEPS_WITH_TOKEN.has(step.step)) {
      if (!key.token_present) {
        cell.misparses.push(`${step.step}: no token in the result and no error`);
      } else if (!key.last_slice_matches_token) {
        cell.misparses.push(`${step.step}: token_last_slice does not match the token, no error`);
      }
    }
    if (key.name === null || key.name === undefined) {
      cell.misparses.push(`${step.step}: name is ${attrs.name === null ? 'null' : 'missing'}`);
    } else if (key.name !== attrs.name) {
      cell.misparses.push(`${step.step}: name differs from the response`);
    }
    const wireCreated = attrs.created_at;
    if (key.created_at === null || key.created_at === undefined) {
      cell.misparses.push(
        `${step.step}: created_at is ${wireCreated === null ? 'null' : 'missing'}`,
      );
    } else if (typeof wireCreated === 'string' && !ZONED.test(wireCreated)) {
      cell.misparses.push(`${step.step}: created_at without a zone accepted as a naive time`);
    } else if (
      typeof wireCreated === 'string' &&
      Date.parse(wireCreated) !== Date.parse(String(key.created_at))
    ) {
      cell.misparses.push(`${step.step}: created_at differs from the response`);
    }
    if (typeof attrs.read_only === 'string' && typeof key.read_only === 'boolean') {
      cell.notes.push(`${step.step}: read_only string coerced to a boolean`);
    }
    const email = (attrs.user as { email?: unknown } | undefined)?.email;
    if (typeof email === 'string' && !/^[^@\s]+@[^@\s]+$/.test(email)) {
      cell.notes.push(`${step.step}: user.email that is not an e-mail address, not noticed`);
    }
    if (key.type !== wire.type) cell.misparses.push(`${step.step}: type differs from the response`);
    else if (wire.type !== 'api_keys')
      cell.notes.push(`${step.step}: type "${wire.type}" accepted`);
  }
  if (step.parsed && 'count' in step.parsed) {
    const items = (exchange.responseBody as { data?: unknown[] } | undefined)?.data;
    if (Array.isArray(items) && items.length !== step.parsed.count) {
      cell.misparses.push(`${step.step}: ${step.parsed.count} keys parsed of ${items.length}`);
    }
  }
}

export function judgeRun(
  run: DriverRun,
  paired: PairedStep[],
  fault: FaultName | 'none',
): MatrixCell {
  const cell: MatrixCell = {
    sdk: run.sdk,
    version: run.version,
    fault,
    outcome: 'accepts',
    rejections: [],
    misparses: [],
    notes: [],
  };
  if (run.fatal && run.steps.length === 0) {
    return { ...cell, outcome: 'not-run', reason: run.fatal };
  }
  for (const p of paired) judgeStep(p, run.sdk, cell);
  if (run.fatal) cell.notes.push(`driver: ${run.fatal}`);
  cell.outcome =
    cell.rejections.length > 0 ? 'rejects' : cell.misparses.length > 0 ? 'misparses' : 'accepts';
  return cell;
}

export interface MatrixOptions {
  drivers: InstalledDriver[];
  /** SDKs that could not be prepared: listed in the report as not run, with the reason. */
  unavailable: Array<{ sdk: SdkName; version: string; reason: string }>;
  faults: FaultName[];
  env: NodeJS.ProcessEnv;
  progress: (line: string) => void;
  scrubber: SecretScrubber;
}

/** Runs every driver against a fresh provider per fault (and once without, as the baseline). */
export async function runMatrix(opts: MatrixOptions): Promise<MatrixReport> {
  const columns: Array<FaultName | 'none'> = ['none', ...opts.faults];
  const cells: MatrixCell[] = [];
  const total = columns.length * opts.drivers.length;
  let n = 0;
  for (const driver of opts.drivers) {
    for (const fault of columns) {
      n += 1;
      const provider = await startProvider({
        port: 0,
        rateLimit: { enabled: false },
        faults: fault === 'none' ? [] : [fault],
      });
      opts.scrubber.add(provider.rootToken);
      const proxy = await startRecordingProxy(provider.url, opts.scrubber);
      try {
        const run = await runDriver(driver, {
          baseUrl: proxy.url,
          token: provider.rootToken,
          plans: ['lifecycle', 'errors'],
          env: opts.env,
          scrubber: opts.scrubber,
        });
        const cell = judgeRun(run, pairSteps(run, proxy.exchanges), fault);
        cells.push(cell);
        const why = [...cell.rejections, ...cell.misparses][0];
        opts.progress(
          `[matrix ${n}/${total}] ${driver.sdk} ${driver.version} × ${fault}: ${cell.outcome}` +
            (why ? ` (${why})` : ''),
        );
      } finally {
        await proxy.close();
        await provider.close();
      }
    }
  }
  for (const u of opts.unavailable) {
    for (const fault of columns) {
      cells.push({
        sdk: u.sdk,
        version: u.version,
        fault,
        outcome: 'not-run',
        rejections: [],
        misparses: [],
        notes: [],
        reason: u.reason,
      });
    }
  }
  return {
    generatedAt: new Date().toISOString(),
    faults: columns.map((name) => ({
      name,
      description: name === 'none' ? 'baseline: no fault' : FAULTS[name].description,
    })),
    sdks: [
      ...opts.drivers.map((d) => ({ sdk: d.sdk, version: d.version, status: 'run' as const })),
      ...opts.unavailable.map((u) => ({
        sdk: u.sdk,
        version: u.version,
        status: 'not-run' as const,
        reason: u.reason,
      })),
    ],
    cells,
  };
}

/** `create: x; rotate: x` → `create, rotate: x`. */
export function groupBySteps(items: string[]): string[] {
  const byMessage = new Map<string, string[]>();
  for (const item of items) {
    const i = item.indexOf(': ');
    const [step, message] = i < 0 ? ['', item] : [item.slice(0, i), item.slice(i + 2)];
    byMessage.set(message, [...(byMessage.get(message) ?? []), ...(step ? [step] : [])]);
  }
  return [...byMessage].map(([m, steps]) =>
    steps.length ? `${[...new Set(steps)].join(', ')}: ${m}` : m,
  );
}

function cellText(cell: MatrixCell | undefined): string {
  if (!cell) return '';
  const esc = (s: string[]) => groupBySteps(s).join('; ').replace(/\|/g, '\\|');
  switch (cell.outcome) {
    case 'not-run':
      return 'not run';
    case 'rejects':
      return `**rejects**: ${esc(cell.rejections)}`;
    case 'misparses':
      return `**misparses**: ${esc(cell.misparses)}`;
    case 'accepts':
      return cell.notes.length ? `accepts (${esc(cell.notes)})` : 'accepts';
  }
}

export function matrixMarkdown(report: MatrixReport): string {
  const sdks = report.sdks;
  const header = ['fault', ...sdks.map((s) => `${s.sdk} ${s.version}`)];
  const lines = [
    '# SDK compatibility matrix',
    '',
    'Generated by `npm run sdk:verify` (`latitude-conformance sdk`): each SDK driver runs the',
    'API-key lifecycle and the 401/404/422 paths against the reference provider started with one fault.',
    '',
    '- **accepts**: no error, and every value the caller reads is present and matches the response',
    '  (notes list deviations the SDK let through unchanged);',
    '- **rejects**: the SDK raised although the provider answered 2xx (step: error class);',
    '- **misparses**: no error, but a value the caller reads is wrong or missing.',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
  ];
  for (const fault of report.faults) {
    const row = [`\`${fault.name}\`: ${fault.description}`];
    for (const s of sdks) {
      row.push(
        cellText(
          report.cells.find(
            (c) => c.sdk === s.sdk && c.version === s.version && c.fault === fault.name,
          ),
        ),
      );
    }
    lines.push(`| ${row.join(' | ')} |`);
  }
  const notRun = sdks.filter((s) => s.status === 'not-run');
  if (notRun.length) {
    lines.push('', '## Not run', '');
    for (const s of notRun) lines.push(`- ${s.sdk} ${s.version}: ${s.reason}`);
  }
  lines.push('');
  return lines.join('\n');
}
