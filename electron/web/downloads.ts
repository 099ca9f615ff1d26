// One-time CSV downloads for the browser host. export.run registers the request under a
// random id and answers with a URL; the first GET of that URL streams the report and the id
// is gone (a second GET, or one after the expiry, gets 404). Nothing is written to disk.
import { randomBytes } from 'node:crypto';
import type { ExportRequest } from '../../shared/contract.ts';

export class DownloadRegistry {
  readonly #entries = new Map<string, { request: ExportRequest; expiresAt: number }>();
  constructor(
    readonly ttlMs: number = 10 * 60_000,
    readonly now: () => number = Date.now,
  ) {}

  register(request: ExportRequest): string {
    this.#sweep();
    const id = randomBytes(24).toString('base64url');
    this.#entries.set(id, { request, expiresAt: this.now() + this.ttlMs });
    return id;
  }

  /** The request for `id`, removing it; null when unknown, used or expired. */
  take(id: string): ExportRequest | null {
    const entry = this.#entries.get(id);
    this.#entries.delete(id);
    if (!entry || entry.expiresAt < this.now()) return null;
    return entry.request;
  }

  clear(): void {
    this.#entries.clear();
  }

  #sweep(): void {
    const t = this.now();
    for (const [id, e] of this.#entries) if (e.expiresAt < t) this.#entries.delete(id);
  }
}
