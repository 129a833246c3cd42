/** One API key as the provider keeps it (timestamps as Date; formatting happens on output). */
export interface StoredKey {
  id: string;
  name: string;
  token: string;
  readOnly: boolean;
  /** Normalized entries (`10.0.0.1/32`); an empty list means no restriction. */
  allowedIps: string[];
  user: { id: string; email: string };
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
}

/** Who a request authenticated as: the account's root token or one of its keys. */
export type Principal = { kind: 'root' } | { kind: 'key'; key: StoredKey; retired: boolean };

/**
 * The in-memory key store, in creation order. It also remembers tokens that stopped working
 * (rotated away or deleted) so that the faults that keep them working can find them.
 */
export class KeyStore {
  private readonly byId = new Map<string, StoredKey>();
  private readonly byToken = new Map<string, StoredKey>();
  private readonly retiredTokens = new Map<
    string,
    { key: StoredKey; why: 'rotated' | 'deleted' }
  >();

  all(): StoredKey[] {
    return [...this.byId.values()];
  }

  get(id: string): StoredKey | undefined {
    return this.byId.get(id);
  }

  findByToken(token: string): StoredKey | undefined {
    return this.byToken.get(token);
  }

  findRetired(token: string): { key: StoredKey; why: 'rotated' | 'deleted' } | undefined {
    return this.retiredTokens.get(token);
  }

  add(key: StoredKey): void {
    this.byId.set(key.id, key);
    this.byToken.set(key.token, key);
  }

  /** Gives a key a new token; the old one is remembered as rotated away. */
  replaceToken(key: StoredKey, token: string): void {
    if (token === key.token) return;
    this.byToken.delete(key.token);
    this.retiredTokens.set(key.token, { key, why: 'rotated' });
    key.token = token;
    this.byToken.set(token, key);
  }

  /** Gives a key a new id (only the id-changes-on-rotate fault does this). */
  replaceId(key: StoredKey, id: string): void {
    this.byId.delete(key.id);
    key.id = id;
    this.byId.set(id, key);
  }

  delete(key: StoredKey): void {
    this.byId.delete(key.id);
    this.byToken.delete(key.token);
    this.retiredTokens.set(key.token, { key, why: 'deleted' });
  }

  clear(): void {
    for (const key of this.all()) this.delete(key);
  }

  /** Whether a token belongs to a live key or is remembered as retired (new tokens must be new). */
  knows(token: string): boolean {
    return this.byToken.has(token) || this.retiredTokens.has(token);
  }
}
