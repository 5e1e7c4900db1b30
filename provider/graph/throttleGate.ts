/**
 * Paces one client's requests once Graph has throttled it. Graph (Intune: 200 writes per 20 s per tenant) answers 429
 * with a Retry-After that every throttled caller receives alike. Waiting it out independently makes all of them come
 * back at the same instant, collide again and burn retries; adding a growing random spread instead wastes the
 * capacity that frees up meanwhile. The gate does neither: after a 429 nobody sends before the advertised time, then
 * waiting requests leave one at a time, in the order they first came (a request throttled again keeps its place
 * ahead of later arrivals), spaced by the advertised wait (at most {@link DEFAULT_MAX_SPACING_MS}). Under a token bucket that is one request per freed token: throughput close to the
 * limit, and every request gets its turn (no starvation, so the throttled-retry budget is not exhausted by bad luck).
 */

/** Upper bound of the spacing between released requests: a long Retry-After (a window reset) is waited once, not per request. */
export const DEFAULT_MAX_SPACING_MS = 100;

export interface ThrottleGateOptions {
    readonly now?: () => number;
    readonly sleep?: (ms: number) => Promise<void>;
    readonly maxSpacingMs?: number;
}

/** A request's place in the arrival order; it keeps the same ticket across its retries. */
export type GateTicket = number;

interface Waiter {
    readonly ticket: GateTicket;
    readonly release: () => void;
}

export class ThrottleGate {
    /** No request leaves before this time (ms since epoch): the latest advertised end of throttling. */
    private blockedUntil = 0;
    /** The earliest time the next queued request may leave (the previous departure plus the spacing). */
    private nextSlot = 0;
    private spacingMs = 0;
    private issued = 0;
    /** Queued requests, earliest ticket first. */
    private readonly waiting: Waiter[] = [];
    /** Whether the release loop is running (it runs while anyone is queued). */
    private releasing = false;
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
    }

    /** A new request's place in line: take one per logical request and pass it to every {@link turn} of its attempts. */
    ticket(): GateTicket {
        return this.issued++;
    }

    /**
     * Resolves when this request may be sent: at once unless Graph throttled recently or others are queued. Queued
     * requests leave by ticket, so one throttled again re-enters ahead of those that arrived after it.
     */
    async turn(ticket: GateTicket = this.ticket()): Promise<void> {
        const t = this.now();
        if (this.waiting.length === 0 && t >= this.blockedUntil && t >= this.nextSlot) return;
        await new Promise<void>((release) => {
            let i = this.waiting.length;
            while (i > 0 && this.waiting[i - 1]!.ticket > ticket) i -= 1;
            this.waiting.splice(i, 0, { ticket, release });
            if (!this.releasing) void this.releaseInOrder();
        });
    }

    /** Releases queued requests one at a time, earliest ticket first, never before the end of throttling. */
    private async releaseInOrder(): Promise<void> {
        this.releasing = true;
        try {
            for (;;) {
                if (this.waiting.length === 0) return;
                const t = this.now();
                const at = Math.max(this.blockedUntil, this.nextSlot);
                if (t < at) {
                    await this.sleep(at - t);
                    // A 429 that arrived meanwhile may have moved the end of throttling: wait again.
                    if (this.blockedUntil > at) continue;
                }
                // The earliest ticket now (one may have re-entered while the loop slept); the slot is the planned
                // time, not the clock after waking, so timer lateness does not add up along the queue.
                const head = this.waiting.shift()!;
                this.nextSlot = Math.max(at, t) + this.spacingMs;
                head.release();
            }
        } finally {
            this.releasing = false;
        }
    }

    /** Time (ms) a request arriving now would wait; 0 when the gate is open. For logs. */
    pendingMs(): number {
        const first = Math.max(this.blockedUntil, this.nextSlot) - this.now();
        return Math.max(0, first + this.waiting.length * this.spacingMs);
    }
}
