import { jsonPointer } from '../findings';

/**
 * The small JSON path dialect Pact's matching rules use (`$.data.id`, `$.data[*].id`,
 * `$['odd key']`, `$.errors[0]`, `$.meta.*`): every value it selects, with its JSON pointer.
 */
export interface Selected {
  pointer: string;
  value: unknown;
}

type Step = { key: string } | { index: number } | { any: true };

export function parsePath(expression: string): Step[] | undefined {
  if (!expression.startsWith('$')) return undefined;
  const steps: Step[] = [];
  let rest = expression.slice(1);
  while (rest.length) {
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^\.\*/)) || (m = rest.match(/^\[\*\]/))) steps.push({ any: true });
    else if ((m = rest.match(/^\.([^.[\]]+)/))) steps.push({ key: m[1] });
    else if ((m = rest.match(/^\[(\d+)\]/))) steps.push({ index: Number(m[1]) });
    else if ((m = rest.match(/^\['((?:[^'\\]|\\.)*)'\]/)))
      steps.push({ key: m[1].replace(/\\(.)/g, '$1') });
    else return undefined;
    rest = rest.slice(m[0].length);
  }
  return steps;
}

export function select(document: unknown, expression: string): Selected[] | undefined {
  const steps = parsePath(expression);
  if (!steps) return undefined;
  let current: Selected[] = [{ pointer: '', value: document }];
  for (const step of steps) {
    const next: Selected[] = [];
    for (const { pointer, value } of current) {
      if ('any' in step) {
        if (Array.isArray(value))
          value.forEach((v, i) => next.push({ pointer: `${pointer}/${i}`, value: v }));
        else if (value && typeof value === 'object') {
          for (const [k, v] of Object.entries(value))
            next.push({ pointer: pointer + jsonPointer([k]), value: v });
        }
      } else if ('index' in step) {
        if (Array.isArray(value) && step.index < value.length) {
          next.push({ pointer: `${pointer}/${step.index}`, value: value[step.index] });
        }
      } else if (value && typeof value === 'object' && !Array.isArray(value) && step.key in value) {
        next.push({
          pointer: pointer + jsonPointer([step.key]),
          value: (value as Record<string, unknown>)[step.key],
        });
      }
    }
    current = next;
  }
  return current;
}
