import { jsonPointer } from '../findings';

/**
 * Contract drift: the committed pact file against the one the consumer tests produce now. Only
 * what a provider would verify counts; the versions of the Pact libraries that wrote the file
 * (metadata.pact-js, metadata.pactRust) change with every upgrade and are left out.
 */

export interface PactDifference {
  /** JSON pointer into the pact file, interactions addressed by description. */
  pointer: string;
  committed: unknown;
  generated: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const VOLATILE_METADATA = ['pact-js', 'pactRust'];

/** The pact without tool versions, its interactions keyed by description (stable order). */
export function normalisePact(pact: unknown): Json {
  const copy = JSON.parse(JSON.stringify(pact ?? null)) as Json;
  if (!copy || typeof copy !== 'object' || Array.isArray(copy)) return copy;
  const metadata = copy.metadata;
  if (metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
    for (const key of VOLATILE_METADATA) delete metadata[key];
  }
  if (Array.isArray(copy.interactions)) {
    const byDescription: { [key: string]: Json } = {};
    copy.interactions.forEach((interaction, index) => {
      const description =
        interaction && typeof interaction === 'object' && !Array.isArray(interaction)
          ? String(interaction.description ?? `#${index}`)
          : `#${index}`;
      byDescription[description] = interaction;
    });
    copy.interactions = byDescription;
  }
  return copy;
}

function describeAt(pointer: string, committed: Json | undefined, generated: Json | undefined) {
  return { pointer, committed, generated };
}

function walk(
  committed: Json | undefined,
  generated: Json | undefined,
  pointer: string,
  out: PactDifference[],
): void {
  const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(committed) && isObject(generated)) {
    const keys = [...new Set([...Object.keys(committed), ...Object.keys(generated)])].sort();
    for (const key of keys) {
      const child = pointer + jsonPointer([key]);
      walk(committed[key], generated[key], child, out);
    }
    return;
  }
  if (Array.isArray(committed) && Array.isArray(generated)) {
    const length = Math.max(committed.length, generated.length);
    for (let i = 0; i < length; i++) walk(committed[i], generated[i], `${pointer}/${i}`, out);
    return;
  }
  if (JSON.stringify(committed) !== JSON.stringify(generated)) {
    out.push(describeAt(pointer || '/', committed, generated));
  }
}

/** Every place where the committed and the generated pact differ (empty: no drift). */
export function diffPacts(committed: unknown, generated: unknown): PactDifference[] {
  const out: PactDifference[] = [];
  walk(normalisePact(committed), normalisePact(generated), '', out);
  return out;
}

const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));

/** A message that says where the contract drifted and how to bring it back in line. */
export function formatDrift(file: string, differences: PactDifference[], limit = 20): string {
  const lines = differences
    .slice(0, limit)
    .map(
      (d) =>
        `  ${d.pointer}\n    committed: ${show(d.committed)}\n    generated: ${show(d.generated)}`,
    );
  const more = differences.length > limit ? [`  ... and ${differences.length - limit} more`] : [];
  return [
    `${file} differs from what the consumer tests produce (${differences.length} difference(s)):`,
    ...lines,
    ...more,
    'If the change is intended, run `npm run pact:update` and commit contracts/; otherwise fix the consumer tests.',
  ].join('\n');
}
