import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { GroupPolicyConfigurationAssignment, targets } from "../../sdk";
import { startE2eWorld, type E2eWorld } from "./harness";
import { isPulumiCli, runningProcesses } from "../support/processes";

const KIND = "groupPolicyConfigurations";
const COUNT = 50;

function fleet(policyId: string, groups: readonly string[]) {
    return async () => {
        groups.forEach((groupId, i) => new GroupPolicyConfigurationAssignment(`a-${i}`, { policyId, target: targets.group(groupId) }));
    };
}

function liveGroupIds(world: E2eWorld, policyId: string): string[] {
    return world.emulator.admin.listAssignments(KIND, policyId).map((a) => String(a.target.groupId));
}

function assertExactly(world: E2eWorld, policyId: string, groups: readonly string[]): void {
    const live = liveGroupIds(world, policyId);
    assert.deepEqual(live.filter((g, i) => live.indexOf(g) !== i), [], "no duplicate assignment");
    assert.deepEqual(groups.filter((g) => !live.includes(g)), [], "no missing assignment");
    assert.deepEqual(live.filter((g) => !groups.includes(g)), [], "no unexpected assignment");
}

function creatingPosts(world: E2eWorld): number {
    return world.emulator.log().filter((e) => e.method === "POST" && e.path.endsWith("/assignments") && e.status === 201).length;
}

/** Create POSTs the emulator has received and not yet answered (logged on arrival, status set on the answer). */
function postsInFlight(world: E2eWorld): number {
    return world.emulator.log().filter((e) => e.method === "POST" && e.path.endsWith("/assignments") && e.status === 0).length;
}

async function until(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

/** Pids of the `pulumi up` processes this test started (matched by stack name on their command line). */
function pulumiUpPids(stackName: string): number[] {
    return runningProcesses()
        .filter((p) => isPulumiCli(p) && p.args.includes("up") && p.args.includes(stackName))
        .map((p) => p.pid);
}

describe("an up interrupted with SIGINT converges on re-run", function () {
    this.timeout(900_000);
    let world: E2eWorld;
    before(async () => {
        // Slow writes and little engine parallelism, so the interrupt lands while creates are in flight.
        world = await startE2eWorld("interrupt", { faults: { rateLimit: false, latency: 150 } });
    });
    after(async () => world?.dispose());

    it("one SIGINT: the engine finishes what is in flight, records it, and the re-run creates only the rest", async () => {
        const policyId = world.emulator.admin.seedPolicy(KIND, { displayName: "Interrupted once" }).id;
        const groups = Array.from({ length: COUNT }, () => randomUUID());
        const stack = await world.stack(fleet(policyId, groups), { stackName: "sigint" });
        world.emulator.admin.clearLog();

        const abort = new AbortController();
        const running = stack.up({ parallel: 4, signal: abort.signal }).then(
            () => "completed",
            (error: Error) => error.message,
        );
        await until(() => creatingPosts(world) >= 10, "10 creates");
        abort.abort(); // the Automation API sends SIGINT to the CLI: Pulumi's graceful cancel
        const outcome = await running;
        assert.notEqual(outcome, "completed", "the interrupt stopped the run before all 50 were created");
        const before = liveGroupIds(world, policyId);
        console.log(`      interrupted after ${before.length} of ${COUNT} assignments were created`);
        assert.ok(before.length < COUNT, "the run was cut short");
        assert.equal(new Set(before).size, before.length, "no duplicate after the interrupt");

        const exported = await stack.exportStack();
        const pending = (exported.deployment as { pending_operations?: unknown[] }).pending_operations ?? [];
        assert.deepEqual(pending, [], "a graceful cancel leaves no operation pending");

        world.emulator.admin.clearLog();
        const rerun = await stack.up({ parallel: 4 });
        assert.equal(rerun.summary.resourceChanges?.create, COUNT - before.length, "only the missing ones are created");
        assert.equal(creatingPosts(world), COUNT - before.length, "one POST per missing assignment, none for the recorded ones");
        assertExactly(world, policyId, groups);

        const again = await stack.up();
        assert.deepEqual(again.summary.resourceChanges, { same: COUNT + 1 });
        await stack.destroy();
        assert.deepEqual(liveGroupIds(world, policyId), []);
    });

    it("two SIGINTs (terminate at once): creates left pending in state converge on re-run (a landed one is adopted), never duplicated", async () => {
        // The second SIGINT must find the CLI still running: when the first one caught it with nothing left in flight it
        // may already have exited, and the case this test is about did not happen. Then the scenario runs again on a
        // fresh policy and stack (at most three times).
        let interrupted: { policyId: string; groups: string[]; stack: Awaited<ReturnType<E2eWorld["stack"]>>; running: Promise<string> } | undefined;
        for (let attempt = 1; attempt <= 3 && interrupted === undefined; attempt++) {
            const policyId = world.emulator.admin.seedPolicy(KIND, { displayName: `Interrupted twice ${attempt}` }).id;
            const groups = Array.from({ length: COUNT }, () => randomUUID());
            const stackName = `sigint-twice-${attempt}`;
            const stack = await world.stack(fleet(policyId, groups), { stackName });
            // Writes take 1.5 s here, so the hard stop catches several in flight: sent to Graph, not yet in state.
            world.emulator.admin.setFaults({ rateLimit: false, latency: 1500 });
            world.emulator.admin.clearLog();

            const running = stack.up({ parallel: 8 }).then(
                () => "completed",
                (error: Error) => error.message,
            );
            // Creates of one policy share its listing, so they move in rounds (list read, then POSTs): stop while POSTs
            // are in flight, not between two rounds when nothing is.
            await until(() => creatingPosts(world) >= 10 && postsInFlight(world) > 0, "10 creates, and more POSTs in flight");
            const pids = pulumiUpPids(stackName);
            assert.equal(pids.length, 1, `one pulumi up process for ${stackName}`);
            process.kill(pids[0]!, "SIGINT");
            await new Promise((resolve) => setTimeout(resolve, 100));
            try {
                process.kill(pids[0]!, "SIGINT"); // "press ^C again to terminate immediately"
            } catch (error) {
                if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
                console.log(`      attempt ${attempt}: the first SIGINT ended the run before the second; again on a fresh stack`);
                await running;
                continue;
            }
            interrupted = { policyId, groups, stack, running };
        }
        assert.ok(interrupted !== undefined, "the CLI was still running at the second SIGINT in one of three attempts");
        const { policyId, groups, stack, running } = interrupted;
        const outcome = await running;
        assert.notEqual(outcome, "completed");
        // POSTs already sent keep landing in Graph after the CLI is gone; wait for the emulator to go quiet.
        let seen = -1;
        await until(() => {
            const now = world.emulator.log().length;
            const quiet = now === seen && postsInFlight(world) === 0;
            seen = now;
            return quiet;
        }, "the emulator to go quiet");
        const before = liveGroupIds(world, policyId);
        const exported = await stack.exportStack();
        const deployment = exported.deployment as { pending_operations?: unknown[]; resources?: { type: string }[] };
        const recorded = (deployment.resources ?? []).filter((r) => r.type.endsWith(":GroupPolicyConfigurationAssignment")).length;
        const pending = deployment.pending_operations?.length ?? 0;
        console.log(`      terminated with ${before.length} of ${COUNT} assignments in Graph, ${recorded} in state, ${pending} pending`);
        console.log(`      ${outcome.split("\n").filter((l) => /cancel|terminat|interrupt/i.test(l)).slice(0, 3).join(" | ")}`);
        assert.equal(new Set(before).size, before.length, "no duplicate after the hard stop");
        assert.ok(pending >= 1, "the hard stop left creates pending: the case this test is about happened");

        // The re-run must work on the stack as the hard stop left it (pending operations, possibly a lock).
        world.emulator.admin.setFaults({ rateLimit: false, latency: 150 });
        world.emulator.admin.clearLog();
        const rerun = await stack.up({ parallel: 8 }).catch(async (error: Error) => {
            if (!/locked/i.test(error.message)) throw error;
            await stack.cancel();
            return stack.up({ parallel: 8 });
        });
        assert.equal(rerun.summary.result, "succeeded");
        assertExactly(world, policyId, groups);
        const posts = world.emulator.log().filter((e) => e.method === "POST" && e.path.endsWith("/assignments"));
        console.log(`      re-run: ${posts.length} POSTs for the ${COUNT - before.length} assignments Graph did not hold`);
        // A create whose POST landed after the hard stop finds its assignment on the policy's list: adopted, no POST.
        assert.equal(posts.length, COUNT - before.length, "one POST per assignment missing from Graph, none for a landed one");

        const again = await stack.up();
        assert.deepEqual(again.summary.resourceChanges, { same: COUNT + 1 });
        await stack.destroy();
        assert.deepEqual(liveGroupIds(world, policyId), []);
    });
});
