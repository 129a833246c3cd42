import { createServer, IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the double received it, body read in full. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpDouble {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  /** Every request so far, in arrival order; tests may empty it between cases. */
  received: RecordedRequest[];
  /** Drops open connections (a reply still pending included) and stops listening. */
  close(): Promise<void>;
}

/**
 * A loopback HTTP server on a port the system picks: it records each request and then lets
 * `answer` write the response, for tests of code that talks HTTP to something it does not own.
 */
export async function httpDouble(
  answer: (req: RecordedRequest, res: ServerResponse) => void,
): Promise<HttpDouble> {
  const received: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(recorded);
      answer(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
