import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses one `allowed_ips` entry: an IPv4 or IPv6 address or CIDR range. IPv4 must be written as
 * four decimal parts (ipaddr.js would otherwise accept `0x7f.1` and `1`). Returns undefined when
 * the entry is not an address or range.
 */
export function parseAllowedIp(entry: string): [Address, number] | undefined {
  const text = entry.trim();
  if (text !== entry || text.length === 0) return undefined;
  const slash = text.indexOf('/');
  const addrText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  let addr: Address;
  if (ipaddr.IPv4.isValidFourPartDecimal(addrText)) addr = ipaddr.IPv4.parse(addrText);
  else if (!addrText.includes('%') && ipaddr.IPv6.isValid(addrText))
    addr = ipaddr.IPv6.parse(addrText);
  else return undefined;
  const max = addr.kind() === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return [addr, max];
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return [addr, prefix];
}

/**
 * How an entry is stored and echoed: always with its prefix length, so a single address comes back
 * as `/32` (IPv4) or `/128` (IPv6), as the docs describe. IPv6 is written in its canonical
 * compressed lower-case form. The address part is kept as written (not masked to the network).
 */
export function normalizeAllowedIp(entry: string): string | undefined {
  const parsed = parseAllowedIp(entry);
  if (!parsed) return undefined;
  const [addr, prefix] = parsed;
  return `${addr.toString()}/${prefix}`;
}

/** The client address as ipaddr.js sees it; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes IPv4. */
export function parseClientAddress(text: string | undefined): Address | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  if (!ipaddr.isValid(trimmed)) return undefined;
  try {
    return ipaddr.process(trimmed);
  } catch {
    return undefined;
  }
}

/**
 * Whether a client may use a key restricted to `allowed`. An empty list means no restriction.
 * Entries that do not parse (only stored under the accepts-invalid-ips fault) match nothing.
 */
export function isAddressAllowed(client: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const addr = parseClientAddress(client);
  if (!addr) return false;
  return allowed.some((entry) => {
    const range = parseAllowedIp(entry);
    if (!range) return false;
    const [net, prefix] = range;
    return net.kind() === addr.kind() && addr.match(net, prefix);
  });
}
