import assert from "node:assert/strict";
import { listRouteOf, PolicyLists } from "../../../provider/engine/policyLists";
import { GetBatcher } from "../../../provider/graph";
import { getDescription } from "../../../provider/model";
import { fakeGraph } from "./fakeGraph";

const route = listRouteOf(getDescription("GroupPolicyConfigurationAssignment"));
const policy = (n: number) => `2b6f0c7e-8a1d-4c8e-9f3a-${String(n).padStart(12, "0")}`;
const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }));

function setup(options: { pageSize?: number; shareWindowMs?: number; now?: () => number } = {}) {
    const fake = fakeGraph({ pageSize: options.pageSize });
    const batcher = new GetBatcher(fake.client, { windowMs: 5, sleep: async () => {} });
    const lists = new PolicyLists(fake.client, { batcher, shareWindowMs: options.shareWindowMs ?? 5_000, now: options.now });
    return { fake, lists };
}

describe("PolicyLists", () => {
    describe("read", () => {
        it("follows @odata.nextLink to the end: a paged list is never taken for the whole", async () => {
            const { fake, lists } = setup({ pageSize: 10 });
            fake.lists.set(policy(1), entries(35));
            const list = await lists.read(route, { policyId: policy(1) });
            assert.equal(list!.length, 35);
            assert.deepEqual(list!.map((e) => e.id), entries(35).map((e) => e.id));
            assert.equal(fake.requests.filter((r) => r.method === "GET").length, 4);
        });

        it("answers undefined for a policy that does not exist (404)", async () => {
            const { lists } = setup();
            assert.equal(await lists.read(route, { policyId: policy(9) }), undefined);
        });

        it("refuses a list body without its value property", async () => {
            const { fake, lists } = setup();
            (fake.client as unknown as { get: unknown }).get = async () => ({ status: 200, body: { "@odata.context": "x" } });
            await assert.rejects(lists.read(route, { policyId: policy(1) }), /without its "value" list/);
        });

        it("serves concurrent reads of one policy from one GET, whatever the case of the id", async () => {
            const { fake, lists } = setup();
            fake.lists.set(policy(1), entries(3));
            const all = await Promise.all([
                lists.read(route, { policyId: policy(1) }),
                lists.read(route, { policyId: policy(1).toUpperCase() }),
                lists.read(route, { policyId: policy(1) }),
            ]);
            assert.ok(all.every((l) => l!.length === 3));
            assert.equal(fake.requests.length, 1);
        });

        it("combines reads of different policies into JSON batches of at most 20", async () => {
            const { fake, lists } = setup();
            for (let i = 0; i < 45; i++) fake.lists.set(policy(i), entries(2));
            const all = await Promise.all(Array.from({ length: 45 }, (_, i) => lists.read(route, { policyId: policy(i) })));
            assert.ok(all.every((l) => l!.length === 2));
            const outer = fake.requests.filter((r) => !r.batched);
            assert.deepEqual(outer.map((r) => r.path), ["/$batch", "/$batch", "/$batch"]);
            assert.equal(fake.requests.filter((r) => r.batched).length, 45);
        });

        it("shares a completed listing only within the window", async () => {
            let now = 1_000;
            const { fake, lists } = setup({ shareWindowMs: 100, now: () => now });
            fake.lists.set(policy(1), entries(1));
            await lists.read(route, { policyId: policy(1) });
            now += 50;
            await lists.read(route, { policyId: policy(1) });
            assert.equal(fake.requests.length, 1, "inside the window: shared");
            now += 100;
            await lists.read(route, { policyId: policy(1) });
            assert.equal(fake.requests.length, 2, "after the window: read again");
        });

        it("never uses a listing after a write to the policy, nor one in flight during it", async () => {
            const { fake, lists } = setup();
            fake.lists.set(policy(1), entries(1));
            const inFlight = lists.read(route, { policyId: policy(1) });
            lists.noteWrite(route, { policyId: policy(1).toUpperCase() });
            fake.lists.set(policy(1), entries(2));
            assert.equal((await lists.read(route, { policyId: policy(1) }))!.length, 2);
            await inFlight;
            assert.equal((await lists.read(route, { policyId: policy(1) }))!.length, 2, "the older listing is not kept");
            assert.equal(fake.requests.filter((r) => r.method === "GET").length, 2, "two list reads in all");
        });

        it("reads again when asked for a fresh list", async () => {
            const { fake, lists } = setup();
            fake.lists.set(policy(1), entries(1));
            await lists.read(route, { policyId: policy(1) });
            await lists.read(route, { policyId: policy(1) }, { fresh: true });
            assert.equal(fake.requests.length, 2);
        });
    });
});
