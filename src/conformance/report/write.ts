import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SecretScrubber } from '../../redact';
import type { RunReport } from '../runner';
import { conformanceHtml } from './html';
import { junitXml } from './junit';

/**
 * Writes conformance.json, junit.xml and conformance.html. Every byte passes the scrubber last,
 * so a secret that slipped into a message upstream still never reaches the disk.
 */
export function writeReports(dir: string, report: RunReport, scrubber: SecretScrubber): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: Array<[string, string]> = [
    ['conformance.json', JSON.stringify(report, null, 2) + '\n'],
    ['junit.xml', junitXml(report)],
    ['conformance.html', conformanceHtml(report)],
  ];
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, scrubber.scrub(text));
    return file;
  });
}
