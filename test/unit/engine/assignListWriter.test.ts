import assert from "node:assert/strict";
import { createAssignListWriter, DEFAULT_ASSIGN_TIMING, type AssignTiming } from "../../../provider/engine/assignListWriter";
import { GraphError } from "../../../provider/graph";
import { getDescription } from "../../../provider/model";
import { fakeGraph } from "./fakeGraph";

const description = getDescription("GroupPolicyConfigurationAssignment");
const POLICY = "2b6f0c7e-8a1d-4c8e-9f3a-5d7e1b2c3a4f";
const group = (n: number) => `6f1b1a59-2b1f-4a8e-9a8e-${String(n).padStart(12, "0")}`;
const target = (n: number, filter?: string) => ({
    "@odata.type": "#microsoft.graph.groupAssignmentTarget",
    groupId: group(n),
    deviceAndAppManagementAssignmentFilterType: filter === undefined ? "none" : "include",
    ...(filter === undefined ? {} : { deviceAndAppManagementAssignmentFilterId: filter }),
});
const FILTER = "0f0e0d0c-0b0a-4908-8706-050403020100";
const desired = (n: number, filter?: string) => ({ policyId: POLICY, target: target(n, filter) });
const foreign = { "@odata.type": "#microsoft.graph.groupPolicyConfigurationAssignment", id: "foreign-1", target: { ...target(900), extraProperty: "kept as read" } };

function setup(options: { pageSize?: number; timing?: Partial<AssignTiming> } = {}) {
    const fake = fakeGraph({ ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}) });
    fake.lists.set(POLICY, [{ ...foreign }]);
    const sleeps: number[] = [];
    const writer = createAssignListWriter(description, () => fake.client, {
        ...DEFAULT_ASSIGN_TIMING,
        sleep: async (ms) => void sleeps.push(ms),
        ...options.timing,
    });
    const assigns = () => fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/assign"));
    const accepted = () => assigns().filter((r) => r.status === 200);
    return { fake, writer, sleeps, assigns, accepted };
}

/** A wait the test ends when it chooses (a back-off, a request in flight). */
function hold(): { promise: Promise<void>; release: () => void } {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    return { promise, release };
}

/** Lets timers and callbacks run until `condition` holds (the list reads' batching window is a real timer). */
async function until(condition: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 2_000; i++) {
        if (condition()) return;
        await new Promise((resolve) => setTimeout(resolve, 1));
    }
    throw new Error(`timed out waiting until ${what}`);
}

/** Starts the change of group 0, whose first assign attempt Graph answers 429; the retry waits until `backOff` is released. */
async function throttledFirstAttempt({ fake, writer, assigns }: ReturnType<typeof setup>) {
    const backOff = hold();
    fake.throttleAssign = (_p, attempt) => attempt === 1;
    fake.beforeAssignSend = (_p, attempt) => (attempt === 2 ? backOff.promise : undefined);
    const first = writer.upsert({ policyId: POLICY }, desired(0));
    await until(() => assigns().some((r) => r.status === 429), "the first attempt was answered 429");
    return { first, backOff };
}

const groupsIn = (request: { body?: unknown }) =>
    ((request.body as { assignments: { target: { groupId: string } }[] }).assignments).map((e) => e.target.groupId);

describe("createAssignListWriter", () => {
    it("merges 50 concurrent changes to one policy into a few writes, each resolved with its own entry", async () => {
        const { fake, writer, assigns } = setup();
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => writer.upsert({ policyId: POLICY }, desired(i))));
        results.forEach((r, i) => assert.equal((r.entity.target as { groupId: string }).groupId, group(i)));
        assert.ok(assigns().length <= 2, `${assigns().length} assign writes`);
        assert.equal(fake.lists.get(POLICY)!.length, 51);
    });

    const K = 12;

    it(`takes ${K} changes that arrive while the round's assign waits to leave (write queue) into that one assign`, async () => {
        const { fake, writer, assigns } = setup();
        const queued = hold();
        let waiting = false;
        fake.beforeAssignSend = () => ((waiting = true), queued.promise);
        const first = writer.upsert({ policyId: POLICY }, desired(0));
        await until(() => waiting, "the round's assign waits to leave");
        const later = Array.from({ length: K }, (_, i) => writer.upsert({ policyId: POLICY }, desired(i + 1)));
        queued.release();
        const results = await Promise.all([first, ...later]);
        results.forEach((r, i) => assert.equal((r.entity.target as { groupId: string }).groupId, group(i)));
        assert.equal(assigns().length, 1, "one assign POST");
        assert.equal(groupsIn(assigns()[0]!).length, K + 2, "every change and the foreign entry");
    });

    it(`takes ${K} changes that arrive during a 429 back-off into the retried assign: 1 accepted assign`, async () => {
        const world = setup();
        const { fake, writer, assigns, accepted } = world;
        const { first, backOff } = await throttledFirstAttempt(world);
        const later = Array.from({ length: K }, (_, i) => writer.upsert({ policyId: POLICY }, desired(i + 1)));
        backOff.release();
        const results = await Promise.all([first, ...later]);
        results.forEach((r, i) => assert.equal((r.entity.target as { groupId: string }).groupId, group(i)));
        assert.equal(accepted().length, 1, "one accepted assign POST");
        assert.equal(assigns().length, 2, "the throttled attempt and its retry");
        assert.deepEqual(groupsIn(accepted()[0]!).sort(), [group(900), ...Array.from({ length: K + 1 }, (_, i) => group(i))].sort());
        assert.equal(fake.lists.get(POLICY)!.length, K + 2);
    });

    it("starts the first round of an idle policy at once, without the gather window", async () => {
        const { writer, sleeps, assigns } = setup();
        await writer.upsert({ policyId: POLICY }, desired(1));
        assert.equal(assigns().length, 1);
        assert.deepEqual(sleeps.filter((ms) => ms === DEFAULT_ASSIGN_TIMING.gatherMs), []);
    });

    it(`takes ${K} changes that arrive while an assign is in flight into exactly one more assign`, async () => {
        const { fake, writer, assigns, sleeps } = setup();
        const inFlight = hold();
        fake.assignInFlight = () => (assigns().length === 1 ? inFlight.promise : undefined);
        const first = writer.upsert({ policyId: POLICY }, desired(0));
        await until(() => assigns().length === 1, "the first assign left");
        const later = Array.from({ length: K }, (_, i) => writer.upsert({ policyId: POLICY }, desired(i + 1)));
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(assigns().length, 1, "nothing else is sent while that assign is in flight");
        inFlight.release();
        const results = await Promise.all([first, ...later]);
        results.forEach((r, i) => assert.equal((r.entity.target as { groupId: string }).groupId, group(i)));
        assert.equal(assigns().length, 2, "exactly one more assign POST");
        assert.ok(sleeps.some((ms) => ms > 0 && ms <= DEFAULT_ASSIGN_TIMING.gatherMs), "the follow-up round gathered before reading");
        assert.deepEqual(groupsIn(assigns()[0]!).sort(), [group(900), group(0)].sort(), "the in-flight body did not change");
        assert.equal(groupsIn(assigns()[1]!).length, K + 2);
    });

    it("starts a follow-up round on the list its predecessor's verify just read when no change arrived for the gather window", async () => {
        // gatherMs 0: arrivals always stopped a window ago, as when every change in flight waits on this policy.
        const { fake, writer, assigns } = setup({ timing: { gatherMs: 0 } });
        const inFlight = hold();
        fake.assignInFlight = () => (assigns().length === 1 ? inFlight.promise : undefined);
        const first = writer.upsert({ policyId: POLICY }, desired(0));
        await until(() => assigns().length === 1, "the first assign left");
        const later = Array.from({ length: K }, (_, i) => writer.upsert({ policyId: POLICY }, desired(i + 1)));
        inFlight.release();
        await Promise.all([first, ...later]);
        const reads = fake.requests.filter((r) => r.method === "GET" && r.path.includes(POLICY));
        assert.equal(assigns().length, 2);
        assert.equal(reads.length, 3, "read, assign, verify; then assign and verify on that verify's list");
        assert.equal(fake.lists.get(POLICY)!.length, K + 2);
    });

    it("gathers a change that closely follows a round of its policy, and builds it on that round's verify list", async () => {
        const { fake, writer, assigns, sleeps } = setup();
        await writer.upsert({ policyId: POLICY }, desired(0));
        await writer.upsert({ policyId: POLICY }, desired(1));
        const reads = fake.requests.filter((r) => r.method === "GET" && r.path.includes(POLICY));
        assert.equal(assigns().length, 2);
        assert.equal(reads.length, 3, "read, assign, verify; then assign and verify on that verify's list");
        assert.ok(sleeps.some((ms) => ms > 0 && ms <= DEFAULT_ASSIGN_TIMING.gatherMs), "the second change was gathered");
        assert.deepEqual(groupsIn(assigns()[1]!).sort(), [group(0), group(1), group(900)].sort());
    });

    it("rebuilds an assign on a fresh read when its list is older than maxBaseAgeMs as it leaves (it waited behind the write queue)", async () => {
        const { fake, writer, accepted } = setup({ timing: { maxBaseAgeMs: -1 } });
        const added = { "@odata.type": "#microsoft.graph.groupPolicyConfigurationAssignment", id: "foreign-2", target: target(901) };
        // Another writer adds an entry while our assign waits to leave.
        fake.beforeAssignSend = () => void fake.lists.get(POLICY)!.push({ ...added });
        await writer.upsert({ policyId: POLICY }, desired(0));
        assert.deepEqual(groupsIn(accepted()[0]!).sort(), [group(0), group(900), group(901)].sort());
        assert.equal(fake.lists.get(POLICY)!.length, 3);
    });

    it("reads the list again before an assign retried after a 429 back-off: another writer's change made during the wait is kept", async () => {
        const world = setup();
        const { fake, accepted } = world;
        const { first, backOff } = await throttledFirstAttempt(world);
        // Another writer (the portal) adds an entry and edits the foreign one while our assign waits.
        const added = { "@odata.type": "#microsoft.graph.groupPolicyConfigurationAssignment", id: "foreign-2", target: target(901) };
        fake.lists.set(POLICY, [{ ...foreign, target: { ...foreign.target, deviceAndAppManagementAssignmentFilterType: "exclude", deviceAndAppManagementAssignmentFilterId: FILTER } }, added]);
        backOff.release();
        const result = await first;
        assert.equal((result.entity.target as { groupId: string }).groupId, group(0));
        assert.equal(accepted().length, 1);
        assert.deepEqual(groupsIn(accepted()[0]!).sort(), [group(0), group(900), group(901)].sort(), "the entry added during the wait is posted back");
        const live = fake.lists.get(POLICY)!;
        assert.equal(live.length, 3);
        const edited = live.find((e) => (e.target as { groupId: string }).groupId === group(900))!;
        assert.equal((edited.target as Record<string, unknown>).deviceAndAppManagementAssignmentFilterType, "exclude", "the edit made during the wait is kept");
    });

    it("settles every change as gone when the policy was deleted during the back-off of its assign", async () => {
        const world = setup();
        const { fake, assigns } = world;
        const { first, backOff } = await throttledFirstAttempt(world);
        fake.lists.delete(POLICY);
        backOff.release();
        await assert.rejects(first, /does not exist \(Graph answered 404\)/);
        assert.equal(assigns().length, 1, "nothing posted to a deleted policy");
    });

    it("still writes entry by entry when Graph refuses a list that took changes during a back-off, and posts foreign entries as read", async () => {
        const { fake, writer, accepted } = setup();
        const backOff = hold();
        fake.throttleAssign = (_p, attempt) => attempt === 1 && accepted().length === 0;
        fake.beforeAssignSend = (_p, attempt) => (attempt === 2 ? backOff.promise : undefined);
        fake.refuseAssign = (_p, entries) =>
            entries.some((e) => (e.target as { groupId?: string }).groupId === group(13))
                ? new GraphError({ status: 400, method: "POST", path: "/assign", code: "BadRequest", graphMessage: "group 13 refused" })
                : undefined;
        const first = writer.upsert({ policyId: POLICY }, desired(11));
        await until(() => fake.requests.some((r) => r.status === 429), "the first attempt was answered 429");
        const later = [12, 13, 14].map((n) => writer.upsert({ policyId: POLICY }, desired(n)));
        backOff.release();
        const results = await Promise.allSettled([first, ...later]);
        assert.deepEqual(results.map((r) => r.status), ["fulfilled", "fulfilled", "rejected", "fulfilled"]);
        assert.match(String((results[2] as PromiseRejectedResult).reason), /group 13 refused/);
        for (const request of accepted()) {
            const posted = (request.body as { assignments: Record<string, unknown>[] }).assignments;
            assert.deepEqual(posted.find((e) => e.id === "foreign-1"), { "@odata.type": foreign["@odata.type"], id: "foreign-1", target: foreign.target });
        }
    });

    it("posts entries it does not manage back exactly as read", async () => {
        const { fake, writer, assigns } = setup();
        await writer.upsert({ policyId: POLICY }, desired(1));
        const posted = (assigns()[0]!.body as { assignments: Record<string, unknown>[] }).assignments;
        assert.deepEqual(posted.find((e) => e.id === "foreign-1"), { "@odata.type": foreign["@odata.type"], id: "foreign-1", target: foreign.target });
        assert.ok(fake.lists.get(POLICY)!.some((e) => e.id === "foreign-1"));
    });

    it("never truncates a paged list when writing it back", async () => {
        const { fake, writer } = setup({ pageSize: 10 });
        fake.lists.set(POLICY, Array.from({ length: 35 }, (_, i) => ({ id: `x${i}`, target: target(100 + i) })));
        await writer.upsert({ policyId: POLICY }, desired(1));
        assert.equal(fake.lists.get(POLICY)!.length, 36);
    });

    it("sends nothing when the entry is already as desired, and reports the occupant of a create", async () => {
        const { fake, writer, assigns } = setup();
        fake.lists.get(POLICY)!.push({ id: "theirs", target: target(1) });
        const result = await writer.upsert({ policyId: POLICY }, desired(1));
        assert.equal(assigns().length, 0);
        assert.equal(result.occupant?.id, "theirs");
    });

    it("refuses an adoption through onOccupant before writing anything", async () => {
        const { fake, writer, assigns } = setup();
        fake.lists.get(POLICY)!.push({ id: "theirs", target: target(1) });
        await assert.rejects(
            writer.upsert({ policyId: POLICY }, desired(1, FILTER), { onOccupant: (o) => { throw new Error(`occupied by ${String(o.id)}`); } }),
            /occupied by theirs/,
        );
        assert.equal(assigns().length, 0);
    });

    it("verifies every managed property: a write Graph ignored is rewritten", async () => {
        const { fake, writer, assigns, sleeps } = setup();
        fake.lists.get(POLICY)!.push({ id: "ours", target: target(1) });
        let ignored = false;
        fake.afterAssign = () => {
            if (ignored) return;
            ignored = true;
            fake.lists.get(POLICY)!.find((e) => e.id === "ours")!.target = target(1); // the filter did not stick
        };
        const result = await writer.upsert({ policyId: POLICY }, desired(1, FILTER), { previousId: "ours", previous: desired(1) });
        assert.equal((result.entity.target as Record<string, unknown>).deviceAndAppManagementAssignmentFilterId, FILTER);
        assert.equal(assigns().length, 2, "one rewrite on a fresh read");
        assert.deepEqual(sleeps.filter((ms) => ms >= 500), [500, 1_000, 2_000], "replication lag allowed for before the rewrite");
    });

    it("gives each resource its own error when its entry stays wrong after the bounded rewrites", async () => {
        const { fake, writer, assigns } = setup();
        fake.lists.get(POLICY)!.push({ id: "ours", target: target(1) });
        fake.afterAssign = () => {
            fake.lists.get(POLICY)!.find((e) => e.id === "ours")!.target = target(1); // a concurrent writer reverts it every time
        };
        const [reverted, fine] = await Promise.allSettled([
            writer.upsert({ policyId: POLICY }, desired(1, FILTER), { previousId: "ours", previous: desired(1) }),
            writer.upsert({ policyId: POLICY }, desired(2)),
        ]);
        assert.equal(fine!.status, "fulfilled");
        assert.equal(reverted!.status, "rejected");
        assert.match(String((reverted as PromiseRejectedResult).reason), /after 3 writes through assign.*target/);
        assert.equal(assigns().length, 3);
    });

    it("writes a refused merged list entry by entry, so only the refused entry fails", async () => {
        const { fake, writer } = setup();
        fake.refuseAssign = (_p, entries) =>
            entries.some((e) => (e.target as { groupId?: string }).groupId === group(13))
                ? new GraphError({ status: 400, method: "POST", path: "/assign", code: "BadRequest", graphMessage: "group 13 refused" })
                : undefined;
        const results = await Promise.allSettled([11, 12, 13, 14].map((n) => writer.upsert({ policyId: POLICY }, desired(n))));
        assert.deepEqual(results.map((r) => r.status), ["fulfilled", "fulfilled", "rejected", "fulfilled"]);
        assert.match(String((results[2] as PromiseRejectedResult).reason), /group 13 refused/);
    });

    it("serializes writes to one policy whatever the case of its id (one merged round)", async () => {
        const { writer, assigns } = setup();
        await Promise.all([
            writer.upsert({ policyId: POLICY }, desired(1)),
            writer.upsert({ policyId: POLICY.toUpperCase() }, desired(2)),
        ]);
        assert.equal(assigns().length, 1);
    });

    it("removes only its own entry, and takes a deleted policy as done", async () => {
        const { fake, writer } = setup();
        fake.lists.get(POLICY)!.push({ id: "ours", target: target(1) });
        await writer.remove({ policyId: POLICY }, "ours", desired(1));
        assert.deepEqual(fake.lists.get(POLICY)!.map((e) => e.id), ["foreign-1"]);
        fake.lists.delete(POLICY);
        await writer.remove({ policyId: POLICY }, "ours", desired(1));
        await assert.rejects(writer.upsert({ policyId: POLICY }, desired(1)), /does not exist/);
    });
});
