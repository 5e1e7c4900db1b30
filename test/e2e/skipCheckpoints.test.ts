import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as automation from "@pulumi/pulumi/automation";
import { GroupPolicyConfigurationAssignment, targets } from "../../sdk";
import { startE2eWorld, type E2eWorld } from "./harness";
import { isPulumiCli, runningProcesses } from "../support/processes";

const KIND = "groupPolicyConfigurations";
const COUNT = 1000;
const POLICIES = 10;
const TYPE = "pulumi-nodejs:dynamic/msgraph:GroupPolicyConfigurationAssignment";

function groupId(i: number): string {
    return `5a0c7e3d-1b2f-4c6d-8e9f-${i.toString(16).padStart(12, "0")}`;
}

/** The parent pid of a process, from /proc/<pid>/stat; undefined once it is gone. */
function parentPid(pid: number): number | undefined {
    try {
        return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
    } catch {
        return undefined;
    }
}

/** `root` and every process descending from it (the engine's plugins: the dynamic provider and its shim). */
function processTree(root: number): number[] {
    const all = runningProcesses().map((p) => ({ pid: p.pid, parent: parentPid(p.pid) }));
    const tree = [root];
    for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.parent === tree[i]).map((p) => p.pid));
    return tree;
}

function createdPosts(world: E2eWorld): number {
    return world.emulator.log().filter((e) => e.method === "POST" && e.path.endsWith("/assignments") && e.status === 201).length;
}

async function until(condition: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

describe("PULUMI_SKIP_CHECKPOINTS: an up killed with SIGKILL converges on re-run", function () {
    this.timeout(900_000);
    let world: E2eWorld;
    before(async () => {
        // No latency, no throttle: the test is about lost state, and it must stay quick in CI.
        world = await startE2eWorld("skip-checkpoints", { faults: { rateLimit: false } });
    });
    after(async () => world?.dispose());

    it(`an up of ${COUNT} assignments killed (whole process tree) after some hundreds of creates: re-run leaves 0 duplicates, 0 missing, the state complete`, async () => {
        const policies = Array.from({ length: POLICIES }, (_, p) => world.emulator.admin.seedPolicy(KIND, { displayName: `Unsaved ${p}` }).id);
        const program = async () => {
            for (let i = 0; i < COUNT; i++) new GroupPolicyConfigurationAssignment(`a-${i}`, { policyId: policies[i % POLICIES]!, target: targets.group(groupId(i)) });
        };
        const stackName = "killed";
        const wrapped = await world.stack(program, { stackName });
        // The harness re-runs an operation whose program lost the engine; here losing it is the point.
        const stack = await automation.Stack.select(wrapped.name, wrapped.workspace);
        stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
        world.emulator.admin.clearLog();

        const running = stack.up({ parallel: 16 }).then(
            () => "completed",
            (error: Error) => error.message,
        );
        await until(() => createdPosts(world) >= 300, "300 creates");
        const engines = runningProcesses().filter((p) => isPulumiCli(p) && p.args.includes("up") && p.args.includes(stackName));
        assert.equal(engines.length, 1, `one pulumi up process for ${stackName}`);
        const tree = processTree(engines[0]!.pid);
        for (const pid of tree) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // already gone
            }
        }
        const outcome = await running;
        assert.notEqual(outcome, "completed", "the kill stopped the run");
        // Requests already sent may still be answered after the kill; wait for the emulator to go quiet.
        let seen = -1;
        await until(() => {
            const now = world.emulator.log().length;
            const quiet = now === seen;
            seen = now;
            return quiet;
        }, "the emulator to go quiet");
        const landed = policies.flatMap((p) => world.emulator.admin.listAssignments(KIND, p)).length;
        const before = await stack.exportStack();
        const recorded = ((before.deployment as { resources?: { type: string }[] }).resources ?? []).filter((r) => r.type === TYPE).length;
        console.log(`      killed ${tree.length} processes with ${landed} of ${COUNT} assignments in Graph and ${recorded} in state`);
        assert.ok(landed >= 300 && landed < COUNT, "the kill landed mid-run");
        assert.ok(recorded < landed, "the state does not know of creates that landed: the case this test is about happened");

        world.emulator.admin.clearLog();
        const rerun = await stack.up({ parallel: 16 }).catch(async (error: Error) => {
            if (!/locked/i.test(error.message)) throw error;
            await stack.cancel();
            return stack.up({ parallel: 16 });
        });
        assert.equal(rerun.summary.result, "succeeded");
        const conflicts = world.emulator.log().filter((e) => e.method === "POST" && e.path.endsWith("/assignments") && e.status === 409).length;
        console.log(`      re-run: ${createdPosts(world)} created, ${conflicts} found in their slot (409) and adopted`);

        for (const [p, policyId] of policies.entries()) {
            const live = world.emulator.admin.listAssignments(KIND, policyId).map((a) => String(a.target.groupId));
            const wanted = Array.from({ length: COUNT / POLICIES }, (_, k) => groupId(k * POLICIES + p));
            assert.equal(new Set(live).size, live.length, `no duplicate on policy ${p}`);
            assert.deepEqual(wanted.filter((g) => !live.includes(g)), [], `none missing on policy ${p}`);
            assert.deepEqual(live.filter((g) => !wanted.includes(g)), [], `nothing unexpected on policy ${p}`);
        }
        const after = (await stack.exportStack()).deployment as { resources?: { type: string; id?: string }[]; pending_operations?: unknown[] };
        const inState = (after.resources ?? []).filter((r) => r.type === TYPE);
        assert.equal(inState.length, COUNT, "every assignment is in the state");
        assert.equal(new Set(inState.map((r) => r.id)).size, COUNT, "each with its own id");
        assert.deepEqual(after.pending_operations ?? [], [], "nothing pending");

        world.emulator.admin.clearLog();
        const again = await stack.preview();
        assert.equal(again.changeSummary.same, COUNT + 1, "a second run plans nothing");
        assert.deepEqual(world.writes(), [], "and writes nothing");
    });
});
