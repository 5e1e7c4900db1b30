import assert from "node:assert/strict";
import { ThrottleGate } from "../../../provider/graph/throttleGate";

/** Virtual time: sleeps resolve in time order as the driver advances the clock; no real waiting. */
class VirtualClock {
    now = 0;
    private timers: { at: number; seq: number; resolve: () => void }[] = [];
    private seq = 0;
    readonly sleep = (ms: number) =>
        new Promise<void>((resolve) => this.timers.push({ at: this.now + Math.max(0, ms), seq: this.seq++, resolve }));

    /** Runs until `work` settles, advancing to the next timer whenever everything else is waiting. */
    async run<T>(work: Promise<T>): Promise<T> {
        let settled = false;
        const result = work.finally(() => (settled = true));
        for (;;) {
            for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
            if (settled) return result;
            this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
            const next = this.timers.shift();
            if (next === undefined) throw new Error("deadlock: nothing scheduled and the work is not done");
            this.now = Math.max(this.now, next.at);
            next.resolve();
        }
    }
}

/** Graph's throttle as the emulator models it: a token bucket of `rate` per second, starting full. */
class TokenBucket {
    private tokens: number;
    private updated = 0;
    constructor(private readonly rate: number, private readonly clock: VirtualClock) {
        this.tokens = rate;
    }
    /** 0 when the request is accepted, else the Retry-After in ms. */
    take(): number {
        this.tokens = Math.min(this.rate, this.tokens + ((this.clock.now - this.updated) * this.rate) / 1000);
        this.updated = this.clock.now;
        if (this.tokens >= 1) {
            this.tokens -= 1;
            return 0;
        }
        return ((1 - this.tokens) * 1000) / this.rate;
    }
}

async function converge(rate: number, writes: number, writers: number) {
    const clock = new VirtualClock();
    const gate = new ThrottleGate({ now: () => clock.now, sleep: clock.sleep });
    const bucket = new TokenBucket(rate, clock);
    const throttledPerWrite: number[] = [];
    let blockedUntil = 0;
    let sentEarly = 0;
    let next = 0;
    const writer = async () => {
        while (next < writes) {
            next += 1;
            let throttled = 0;
            const ticket = gate.ticket();
            for (;;) {
                const known = blockedUntil; // requests already in flight when a 429 arrives cannot know of it
                await gate.turn(ticket);
                if (clock.now < known) sentEarly += 1;
                const retryAfterMs = bucket.take();
                if (retryAfterMs === 0) break;
                throttled += 1;
                blockedUntil = Math.max(blockedUntil, clock.now + retryAfterMs);
                gate.throttled(retryAfterMs);
            }
            throttledPerWrite.push(throttled);
        }
    };
    await clock.run(Promise.all(Array.from({ length: writers }, writer)));
    return { seconds: clock.now / 1000, maxThrottled: Math.max(...throttledPerWrite), sentEarly, done: throttledPerWrite.length };
}

describe("ThrottleGate", () => {
    for (const [rate, writers] of [[10, 8], [2, 8], [20, 8], [10, 48]] as const) {
        it(`converges 200 writes at ${rate}/s with ${writers} concurrent writers within 10% of the limit's floor, each getting its turn`, async () => {
            const result = await converge(rate, 200, writers);
            // The bucket starts full (rate tokens), then frees one token every 1/rate s.
            const floor = (200 - rate) / rate;
            assert.equal(result.done, 200);
            assert.ok(result.seconds <= floor * 1.1 + 0.2, `${result.seconds.toFixed(2)} s for a floor of ${floor} s`);
            assert.ok(result.maxThrottled < 30, `a write was throttled ${result.maxThrottled} times (the budget is 30)`);
            assert.equal(result.sentEarly, 0, "nothing is sent before the advertised Retry-After");
        });
    }

    it("is open (no wait) until Graph throttles, and after the throttled period has passed", async () => {
        const clock = new VirtualClock();
        const gate = new ThrottleGate({ now: () => clock.now, sleep: clock.sleep });
        assert.equal(gate.pendingMs(), 0);
        await clock.run(gate.turn());
        assert.equal(clock.now, 0);
        gate.throttled(2_000);
        assert.equal(gate.pendingMs(), 2_000);
        await clock.run(gate.turn());
        assert.equal(clock.now, 2_000, "the first waiting request leaves when the advertised wait ends");
        clock.now = 10_000;
        await clock.run(gate.turn());
        assert.equal(clock.now, 10_000, "long after, requests leave at once");
    });

    it("waits a long Retry-After (a window reset) once, then releases queued requests 100 ms apart, in order", async () => {
        const clock = new VirtualClock();
        const gate = new ThrottleGate({ now: () => clock.now, sleep: clock.sleep });
        gate.throttled(20_000);
        const departures: number[] = [];
        await clock.run(Promise.all([0, 1, 2, 3].map(async (i) => {
            await gate.turn();
            departures[i] = clock.now;
        })));
        assert.deepEqual(departures, [20_000, 20_100, 20_200, 20_300]);
    });
});

describe("ThrottleGate arrival order", () => {
    it("sends a request throttled again before the requests that arrived after it (it keeps its place)", async () => {
        const clock = new VirtualClock();
        const gate = new ThrottleGate({ now: () => clock.now, sleep: clock.sleep });
        const sent: string[] = [];
        // a and b arrive while Graph's throttling lasts until 1 s; c and d arrive later, still inside it.
        gate.throttled(1_000);
        const request = async (name: string, arrivesAt: number, answers: number[]) => {
            if (arrivesAt > 0) await clock.sleep(arrivesAt);
            const ticket = gate.ticket();
            for (;;) {
                await gate.turn(ticket);
                sent.push(name);
                await clock.sleep(50); // the answer takes 50 ms
                const retryAfterMs = answers.shift() ?? 0;
                if (retryAfterMs === 0) return;
                gate.throttled(retryAfterMs);
            }
        };
        await clock.run(Promise.all([
            request("a", 0, []),
            request("b", 0, [100, 100]), // throttled twice
            request("c", 500, []),
            request("d", 600, []),
        ]));
        assert.deepEqual(sent, ["a", "b", "b", "b", "c", "d"]);
    });

    it("under a token bucket, every release is the earliest-arrived waiting request", async () => {
        const clock = new VirtualClock();
        const gate = new ThrottleGate({ now: () => clock.now, sleep: clock.sleep });
        const bucket = new TokenBucket(5, clock);
        const waiting = new Set<number>();
        const outOfOrder: string[] = [];
        let next = 0;
        const writer = async () => {
            while (next < 60) {
                next += 1;
                const ticket = gate.ticket();
                for (;;) {
                    waiting.add(ticket);
                    await gate.turn(ticket);
                    waiting.delete(ticket);
                    const earlier = [...waiting].filter((t) => t < ticket);
                    if (earlier.length > 0) outOfOrder.push(`${ticket} left before ${earlier.join(", ")}`);
                    await clock.sleep(30);
                    const retryAfterMs = bucket.take();
                    if (retryAfterMs === 0) break;
                    gate.throttled(retryAfterMs);
                }
            }
        };
        await clock.run(Promise.all(Array.from({ length: 12 }, writer)));
        assert.deepEqual(outOfOrder.slice(0, 5), []);
    });
});
