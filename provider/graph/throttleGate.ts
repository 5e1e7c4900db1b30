/**
 * Paces one client's requests once Graph has throttled it. Graph (Intune: 200 writes per 20 s per tenant) answers 429
 * with a Retry-After that every throttled caller receives alike. Waiting it out independently makes all of them come
 * back at the same instant, collide again and burn retries; adding a growing random spread instead wastes the
 * capacity that frees up meanwhile. The gate does neither: after a 429 nobody sends before the advertised time, then
 * waiting requests leave one at a time, in the order they came, spaced by the advertised wait (at most
 * {@link DEFAULT_MAX_SPACING_MS}). Under a token bucket that is one request per freed token: throughput close to the
 * limit, and every request gets its turn (no starvation, so the throttled-retry budget is not exhausted by bad luck).
 */

/** Upper bound of the spacing between released requests: a long Retry-After (a window reset) is waited once, not per request. */
export const DEFAULT_MAX_SPACING_MS = 100;

export interface ThrottleGateOptions {
    readonly now?: () => number;
    readonly sleep?: (ms: number) => Promise<void>;
    readonly maxSpacingMs?: number;
}

export class ThrottleGate {
    /** No request leaves before this time (ms since epoch): the latest advertised end of throttling. */
    private blockedUntil = 0;
    /** The next free departure slot while requests are queued. */
    private nextSlot = 0;
    private spacingMs = 0;
    /** Counts 429s: a request re-queues only when a newer one arrived while it slept. */
    private generation = 0;
    private readonly now: () => number;
    private readonly sleep: (ms: number) => Promise<void>;
    private readonly maxSpacingMs: number;

    constructor(options: ThrottleGateOptions = {}) {
        this.now = options.now ?? Date.now;
        this.sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
        this.maxSpacingMs = options.maxSpacingMs ?? DEFAULT_MAX_SPACING_MS;
    }

    /** Graph throttled a request and asked to wait `retryAfterMs`. */
    throttled(retryAfterMs: number): void {
        const wait = Math.max(0, retryAfterMs);
        this.blockedUntil = Math.max(this.blockedUntil, this.now() + wait);
        this.spacingMs = Math.min(Math.max(wait, 1), this.maxSpacingMs);
        this.generation += 1;
    }

    /** Resolves when this request may be sent: at once unless Graph throttled recently or others are queued. */
    async turn(): Promise<void> {
        for (;;) {
            const t = this.now();
            if (t >= this.blockedUntil && t >= this.nextSlot) return;
            const slot = Math.max(t, this.blockedUntil, this.nextSlot);
            this.nextSlot = slot + this.spacingMs;
            const generation = this.generation;
            await this.sleep(slot - t);
            // A 429 that arrived while this request slept may have moved the end of throttling: queue again.
            if (this.generation === generation || this.now() >= this.blockedUntil) return;
        }
    }

    /** Time (ms) a request arriving now would wait; 0 when the gate is open. For logs. */
    pendingMs(): number {
        return Math.max(0, Math.max(this.blockedUntil, this.nextSlot) - this.now());
    }
}
