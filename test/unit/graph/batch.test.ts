import assert from "node:assert/strict";
import { chunk, GetBatcher, GraphError } from "../../../provider/graph";
import { fakeGraph, ROOT } from "../engine/fakeGraph";

const path = (n: number) => `/deviceManagement/groupPolicyConfigurations/p${n}/assignments`;

function setup() {
    const fake = fakeGraph();
    for (let i = 0; i < 50; i++) fake.lists.set(`p${i}`, [{ id: `a${i}` }]);
    const sleeps: number[] = [];
    const batcher = new GetBatcher(fake.client, { windowMs: 5, sleep: async (ms) => void sleeps.push(ms) });
    return { fake, batcher, sleeps };
}

describe("chunk", () => {
    it("splits into consecutive chunks of at most the size", () => {
        assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
        assert.deepEqual(chunk([], 20), []);
        assert.throws(() => chunk([1], 0), /positive integer/);
    });
});

describe("GetBatcher", () => {
    it("sends a request queued alone as a plain GET", async () => {
        const { fake, batcher } = setup();
        const body = await batcher.get<{ value: unknown[] }>(path(1));
        assert.equal(body!.value.length, 1);
        assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path}`), [`GET ${path(1)}`]);
    });

    it("sends concurrent requests as batches of at most 20, each caller getting its own body", async () => {
        const { fake, batcher } = setup();
        const bodies = await Promise.all(Array.from({ length: 41 }, (_, i) => batcher.get<{ value: { id: string }[] }>(path(i))));
        bodies.forEach((b, i) => assert.equal(b!.value[0]!.id, `a${i}`));
        const outer = fake.requests.filter((r) => !r.batched);
        assert.equal(outer.filter((r) => r.path === "/$batch").length, 2);
        assert.equal(outer.filter((r) => r.method === "GET").length, 1, "the 41st alone goes plain");
    });

    it("sends an urgent read at the end of the tick, with the reads queued so far, instead of after the window", async () => {
        const fake = fakeGraph();
        for (let i = 0; i < 3; i++) fake.lists.set(`p${i}`, [{ id: `a${i}` }]);
        // A window far longer than the test may take: only the urgent read can make the batch leave in time.
        const batcher = new GetBatcher(fake.client, { windowMs: 60_000, maxWaitMs: 60_000 });
        const queued = batcher.get<{ value: { id: string }[] }>(path(0));
        const urgent = batcher.get<{ value: { id: string }[] }>(path(1), { urgent: true });
        const sameTick = batcher.get<{ value: { id: string }[] }>(path(2));
        const started = Date.now();
        const bodies = await Promise.all([queued, urgent, sameTick]);
        assert.ok(Date.now() - started < 5_000);
        assert.deepEqual(bodies.map((b) => b!.value[0]!.id), ["a0", "a1", "a2"]);
        assert.equal(fake.requests.filter((r) => !r.batched && r.path === "/$batch").length, 1, "one batch took all three");
    });

    it("retries a throttled item after its own Retry-After, and a 5xx item after a back-off", async () => {
        const { fake, batcher, sleeps } = setup();
        const faults = new Map([[path(2), { status: 429, headers: { "Retry-After": "3" } }], [path(3), { status: 503 }]]);
        fake.itemFault = (p) => {
            const fault = faults.get(p);
            faults.delete(p);
            return fault;
        };
        const bodies = await Promise.all([1, 2, 3].map((i) => batcher.get<{ value: { id: string }[] }>(path(i))));
        assert.deepEqual(bodies.map((b) => b!.value[0]!.id), ["a1", "a2", "a3"]);
        assert.ok(sleeps.includes(3_000), `waited the advertised 3 s (${sleeps.join(", ")})`);
        assert.equal(fake.requests.filter((r) => r.batched && r.path === path(2)).length, 2);
    });

    it("rejects only the caller whose item failed, with Graph's status", async () => {
        const { batcher } = setup();
        const results = await Promise.allSettled([batcher.get(path(1)), batcher.get("/deviceManagement/groupPolicyConfigurations/gone/assignments")]);
        assert.equal(results[0]!.status, "fulfilled");
        assert.equal(results[1]!.status, "rejected");
        const error = (results[1] as PromiseRejectedResult).reason;
        assert.ok(GraphError.isInstance(error) && error.status === 404);
    });

    it("rejects every caller when Graph refuses the batch as a whole", async () => {
        const { fake, batcher } = setup();
        (fake.client as unknown as { post: unknown }).post = async () => {
            throw new GraphError({ status: 400, method: "POST", path: "/$batch", code: "BadRequest", graphMessage: "Invalid batch payload" });
        };
        const results = await Promise.allSettled([batcher.get(path(1)), batcher.get(path(2))]);
        for (const r of results) {
            assert.equal(r.status, "rejected");
            assert.match(String((r as PromiseRejectedResult).reason), /400 BadRequest: Invalid batch payload/);
        }
    });

    it("follows only links under the client's version root", async () => {
        const { batcher } = setup();
        assert.equal((await batcher.get<{ value: unknown[] }>(`${ROOT}${path(4)}`))!.value.length, 1);
        assert.throws(() => batcher.get("https://elsewhere.test/beta/x"), /only under the client's Graph version root/);
    });
});
