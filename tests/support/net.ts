/**
 * An address nothing listens on, for "the target is down" tests. Port 2 lies outside the range
 * the system hands out for listen(0), so no other test's server can take it between a check and
 * its use (binding and then closing a port 0 server is a race with the other jest worker); unlike
 * port 1, fetch does not refuse it outright as a "bad port".
 */
export const REFUSED_PORT = 2;
export const REFUSED_URL = `http://127.0.0.1:${REFUSED_PORT}`;
