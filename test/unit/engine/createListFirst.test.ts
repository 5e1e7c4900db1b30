import assert from "node:assert/strict";
import { AdoptionRefusedError } from "../../../provider/engine/adoption";
import { createAssignmentProvider } from "../../../provider/engine/assignmentProvider";
import { PolicyLists } from "../../../provider/engine/policyLists";
import { GetBatcher } from "../../../provider/graph";
import { getDescription } from "../../../provider/model";
import { fakeGraph } from "./fakeGraph";

const description = getDescription("GroupPolicyConfigurationAssignment");
const policy = (n: number) => `2b6f0c7e-8a1d-4c8e-9f3a-${String(n).padStart(12, "0")}`;
const group = (n: number) => `6f1b1a59-2b1f-4a8e-9a8e-${String(n).padStart(12, "0")}`;
const target = (n: number) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group(n) });
const inputsFor = (p: number, g: number) => ({ policyId: policy(p), target: target(g) });
/** An assignment as Graph lists it (the filter fields Graph fills in). */
const live = (id: string, g: number) => ({ id, target: { ...target(g), deviceAndAppManagementAssignmentFilterType: "none" } });

/** The item strategy over an in-memory Graph, with this test's own listings and batcher. */
function setup(options: { adoptExisting?: boolean } = {}) {
    const fake = fakeGraph();
    const lists = new PolicyLists(fake.client, { batcher: new GetBatcher(fake.client, { windowMs: 5, sleep: async () => {} }) });
    const warnings: string[] = [];
    const engine = createAssignmentProvider(description, {
        client: () => fake.client,
        sleep: async () => {},
        writeStrategy: () => "item",
        lists: () => lists,
        ...(options.adoptExisting !== undefined ? { adoptExisting: () => options.adoptExisting! } : {}),
        warn: (message) => void warnings.push(message),
    });
    const requests = (method: string) => fake.requests.filter((r) => r.method === method && r.path !== "/$batch");
    return { fake, engine, warnings, requests };
}

describe("item-strategy create reads the policy's list before posting", () => {
    it("takes over an occupant found on the list without any POST, reporting it as an adoption", async () => {
        const { fake, engine, warnings } = setup();
        fake.lists.set(policy(1), [live("theirs", 1)]);
        const result = await engine.create(inputsFor(1, 1));
        assert.equal(result.id, "theirs");
        assert.deepEqual(fake.requests.map((r) => r.method), ["GET"], "one list read, no POST, no PATCH");
        assert.deepEqual(warnings, [`adopted existing assignment theirs on policy ${policy(1)}`]);
    });

    it("with adoptExisting false, refuses an occupant found on the list before anything is written", async () => {
        const { fake, engine, warnings } = setup({ adoptExisting: false });
        fake.lists.set(policy(1), [live("theirs", 1)]);
        await assert.rejects(engine.create(inputsFor(1, 1)), (error: unknown) => AdoptionRefusedError.isInstance(error) && error.occupantId === "theirs");
        assert.deepEqual(fake.requests.map((r) => r.method), ["GET"]);
        assert.deepEqual(warnings, []);
    });

    it("sends one POST for an empty slot", async () => {
        const { fake, engine, warnings } = setup();
        fake.lists.set(policy(1), [live("theirs", 2)]);
        const result = await engine.create(inputsFor(1, 1));
        assert.match(result.id, /^gen-/);
        assert.deepEqual(fake.requests.map((r) => r.method), ["GET", "POST"]);
        assert.equal(fake.lists.get(policy(1))!.length, 2);
        assert.deepEqual(warnings, []);
    });

    it("reads each policy's list once for all its creates, the lists of different policies in one batch", async () => {
        const { fake, engine, warnings, requests } = setup();
        // Five policies, three creates each: the first slot of each policy is taken, the other two are empty.
        for (let p = 1; p <= 5; p++) fake.lists.set(policy(p), [live(`theirs-${p}`, 1)]);
        const creates = [];
        for (let p = 1; p <= 5; p++) for (let g = 1; g <= 3; g++) creates.push(engine.create(inputsFor(p, g)));
        const results = await Promise.all(creates);
        assert.equal(requests("GET").length, 5, "one list GET per policy");
        assert.equal(fake.requests.filter((r) => r.path === "/$batch").length, 1, "the five list GETs left as one batch");
        assert.equal(requests("POST").length, 10, "one POST per empty slot, none for an occupied one");
        assert.equal(warnings.length, 5);
        for (let p = 1; p <= 5; p++) {
            assert.equal(results[(p - 1) * 3]!.id, `theirs-${p}`);
            assert.equal(fake.lists.get(policy(p))!.length, 3, "no duplicate");
        }
    });

    it("a shared listing that missed an entry made since: the POST meets 409, a fresh read finds it, adopted, no duplicate", async () => {
        const { fake, engine, warnings, requests } = setup();
        fake.lists.set(policy(1), [live("ours", 3)]);
        // A read of another resource of the policy lists it; then somebody else assigns group 2. The create that
        // follows within the share window is served that listing, which misses the new entry.
        assert.equal((await engine.read("ours", { ...inputsFor(1, 3), assignmentId: "ours" })).id, "ours");
        fake.lists.get(policy(1))!.push(live("made-meanwhile", 2));
        const result = await engine.create(inputsFor(1, 2));
        assert.equal(result.id, "made-meanwhile");
        assert.deepEqual(fake.requests.map((r) => r.method), ["GET", "POST", "GET"], "the shared listing, the POST met by 409, a fresh read");
        assert.equal(requests("POST").length, 1, "not posted again");
        assert.deepEqual(fake.lists.get(policy(1))!.map((e) => e.id), ["ours", "made-meanwhile"], "no duplicate");
        assert.deepEqual(warnings, [`adopted existing assignment made-meanwhile on policy ${policy(1)}`]);
    });

    it("never uses a listing that one of our own writes may have overtaken: it reads again before deciding", async () => {
        const { fake, engine, warnings, requests } = setup();
        fake.lists.set(policy(1), [live("old", 1)]);
        // The list answer is held while this process deletes the assignment it shows (a replacement: delete, then create).
        let release!: () => void;
        let listed!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const reading = new Promise<void>((resolve) => (listed = resolve));
        fake.onList = () => {
            fake.onList = undefined;
            listed();
            return held;
        };
        const creating = engine.create(inputsFor(1, 1));
        await reading;
        await engine.delete(`old`, { ...inputsFor(1, 1), assignmentId: "old" });
        release();
        const result = await creating;
        assert.notEqual(result.id, "old", "the deleted assignment is not taken over");
        assert.deepEqual(fake.lists.get(policy(1))!.map((e) => e.id), [result.id]);
        assert.equal(requests("GET").length, 2, "the held listing, then a fresh one after our delete");
        assert.deepEqual(requests("POST").length, 1);
        assert.deepEqual(warnings, []);
    });

    it("creates one after another on one policy share its listing: our own POSTs only add entries of their own slots", async () => {
        const { fake, engine, requests } = setup();
        fake.lists.set(policy(1), [live("theirs", 9)]);
        // The engine hands creates over a few at a time: each create here starts after the previous one posted.
        for (let g = 1; g <= 6; g++) await engine.create(inputsFor(1, g));
        assert.equal(requests("GET").length, 1, "one list read for the six creates");
        assert.equal(requests("POST").length, 6);
        assert.equal(fake.lists.get(policy(1))!.length, 7, "no duplicate");
    });

    it("a write of ours that may remove or move an entry (PATCH, DELETE) retires the listing for the next create", async () => {
        const { fake, engine, requests } = setup();
        fake.lists.set(policy(1), [live("theirs", 9)]);
        const first = await engine.create(inputsFor(1, 1));
        await engine.delete(first.id, { ...inputsFor(1, 1), assignmentId: first.id });
        const again = await engine.create(inputsFor(1, 1));
        assert.notEqual(again.id, first.id, "the deleted assignment is not taken over from the older listing");
        assert.equal(requests("GET").length, 2, "the first listing, then a fresh one after our DELETE");
        assert.deepEqual(fake.lists.get(policy(1))!.map((e) => e.id).sort(), [again.id, "theirs"].sort());
    });

    it("fails before writing anything when the policy's list cannot be read (the POST's recovery would need it)", async () => {
        const { fake, engine } = setup();
        fake.lists.set(policy(1), []);
        (fake.client as unknown as { get: () => Promise<never> }).get = async () => {
            throw new Error("list unavailable");
        };
        await assert.rejects(engine.create(inputsFor(1, 1)), /list unavailable/);
        assert.deepEqual(fake.requests.filter((r) => r.method !== "GET"), []);
        assert.deepEqual(fake.lists.get(policy(1)), []);
    });

    it("posts for a policy whose list answers 404, failing as before on the POST's own 404", async () => {
        const { fake, engine, requests } = setup();
        await assert.rejects(engine.create(inputsFor(9, 1)), /404/);
        assert.equal(requests("POST").length, 1);
        assert.equal(fake.lists.size, 0);
    });
});
