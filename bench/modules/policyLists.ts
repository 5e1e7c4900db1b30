/**
 * The policy-list engine at tenant scale: a refresh of N assignments over P policies (Graph requests, round trips,
 * wall time against the engine's refresh of N do-nothing resources), the same under the read throttle, `drift` on
 * that stack, and N target changes under the `assign` strategy with a 10 writes/s limit.
 */
import * as automation from "@pulumi/pulumi/automation";
import { DEFAULT_PARALLEL as CLI_DEFAULT_PARALLEL } from "../../cli/commandLine";
import { detectDrift } from "../../cli/drift";
import { MAX_BATCH_REQUESTS } from "../../emulator";
import { GroupPolicyConfigurationAssignment, targets } from "../../sdk";
import type { E2eWorld } from "../../test/e2e/harness";
import { check, countGraphRequests, countGraphRoundTrips, fmt, graphWrites, timed } from "../lib/measure";
import { moduleWorld, warmUp, type BenchContext, type BenchModule } from "../lib/module";
import { echoProgram, FILTER, groupId, spreadProgram, type DeclarationOrder } from "../lib/programs";

/** Intune's read limit: 2,000 requests per 20 s per tenant. */
const READ_LIMIT = { requestsPerWindow: 2000, windowSeconds: 20 };
const READS_PER_SECOND = READ_LIMIT.requestsPerWindow / READ_LIMIT.windowSeconds;
/** The engine's default --parallel (pulumi up --help: default 8). */
const ENGINE_DEFAULT_PARALLEL = 8;

/** How a row names its parallelism: the engine's default (SDK programs under pulumi up), the CLI's, or a plain figure. */
function parallelLabel(parallel: number): string {
    if (parallel === ENGINE_DEFAULT_PARALLEL) return `engine default --parallel ${parallel}`;
    if (parallel === CLI_DEFAULT_PARALLEL) return `msgraph-assignments default --parallel ${parallel}`;
    return `--parallel ${parallel}`;
}

/** Setup only (not measured): creates the stack's resources fast, without the engine's per-step checkpoints. */
async function createQuickly(world: E2eWorld, stackName: string, program: automation.PulumiFn): Promise<automation.Stack> {
    const stack = await world.stack(program, { stackName });
    stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
    check(await stack.up({ parallel: 64 }), `${stackName} create`);
    delete stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS;
    return stack;
}

export const policyListsModule: BenchModule = {
    name: "scale",
    title: "Policy lists at tenant scale: refresh, throttled refresh, drift, assign strategy",
    async run(context: BenchContext) {
        const N = context.quick ? 400 : 2000;
        const P = context.quick ? 20 : 100;
        const ASSIGN_N = 200;
        const ASSIGN_P = 10;
        const WRITE_RATE = 10;
        const { emit } = context;
        const world = await moduleWorld("scale");
        const { admin } = world.emulator;
        try {
            await warmUp(world);
            const policies = Array.from({ length: P }, (_, i) => admin.seedPolicy("groupPolicyConfigurations", { displayName: `Scale ${i}` }).id);
            const program = spreadProgram(policies, N, (i, policyId) => new GroupPolicyConfigurationAssignment(`a-${i}`, { policyId, target: targets.group(groupId(i)) }));
            const floorStack = await createQuickly(world, "floor", echoProgram(N));
            const stack = await createQuickly(world, "scale", program);

            const refreshOf = async (target: automation.Stack, parallel?: number) => {
                admin.clearLog();
                const run = await timed(() => target.refresh(parallel !== undefined ? { parallel } : {}));
                check(run.value, "refresh");
                const log = world.emulator.log();
                const same = run.value.summary.resourceChanges?.same ?? 0;
                return { seconds: run.seconds, requests: countGraphRequests(log), roundTrips: countGraphRoundTrips(log), writes: graphWrites(log).length, dropped: N + 1 - same, log };
            };
            const roundTripTarget = Math.ceil(P / MAX_BATCH_REQUESTS) + 3;
            for (const parallel of [ENGINE_DEFAULT_PARALLEL, CLI_DEFAULT_PARALLEL, N]) {
                const floor = await refreshOf(floorStack, parallel);
                const ours = await refreshOf(stack, parallel);
                const ratio = ours.seconds / floor.seconds;
                const label = parallelLabel(parallel);
                emit({
                    benchmark: `R1. refresh of N=${N} assignments over P=${P} policies, ${label}`,
                    figure: `${ours.requests} Graph requests in ${ours.roundTrips} round trips, ${ours.writes} writes, ${ours.dropped} dropped; ${fmt(ours.seconds, 1)} s`,
                    reference: `N=${N}; ceil(P/${MAX_BATCH_REQUESTS})=${Math.ceil(P / MAX_BATCH_REQUESTS)}; engine refresh of ${N} do-nothing resources ${fmt(floor.seconds, 1)} s`,
                    ratio: `${fmt(ours.requests / N, 3)} requests per assignment; ${fmt(ours.roundTrips / Math.ceil(P / MAX_BATCH_REQUESTS), 1)}x ceil(P/20) round trips; ${fmt(ratio)}x the floor`,
                    target: `requests ≤ P (${P}); round trips ≤ ceil(P/20)+3 (${roundTripTarget}); time ≤ 1.2x`,
                    verdict: [
                        ours.requests <= P ? "requests met" : "requests MISSED",
                        ours.roundTrips <= roundTripTarget ? "round trips met" : "round trips MISSED",
                        ratio <= 1.2 ? "time met" : "time MISSED",
                        ...(ours.dropped > 0 ? ["DROPPED resources"] : []),
                    ].join("; "),
                });
            }

            // ---- the same refresh under Intune's read throttle -------------------------------------------------------
            const floor = await refreshOf(floorStack);
            admin.setFaults({ rateLimit: { ...READ_LIMIT, writesPerWindow: 200 } });
            let throttled: Awaited<ReturnType<typeof refreshOf>> | undefined;
            let failure: string | undefined;
            try {
                throttled = await refreshOf(stack);
            } catch (error) {
                failure = String((error as Error).message).split("\n").find((l) => /error:/.test(l)) ?? String(error).slice(0, 300);
            } finally {
                admin.setFaults({ rateLimit: false });
            }
            const throttleFloor = Math.max(floor.seconds, P / READS_PER_SECOND);
            const answered429 = throttled?.log.filter((e) => e.status === 429).length ?? 0;
            const throttledRatio = (throttled?.seconds ?? NaN) / throttleFloor;
            emit({
                benchmark: `R2. the same refresh under the read throttle (${READ_LIMIT.requestsPerWindow} requests per ${READ_LIMIT.windowSeconds} s), engine default --parallel`,
                figure: throttled
                    ? `${fmt(throttled.seconds, 1)} s, ${throttled.requests} Graph requests, ${answered429} answered 429, ${throttled.dropped} dropped, 0 failures`
                    : `failed: ${failure}`,
                reference: `engine floor ${fmt(floor.seconds, 1)} s; P/limit = ${fmt(P / READS_PER_SECOND, 1)} s`,
                ratio: `${fmt(throttledRatio)}x the larger`,
                target: "0 dropped, 0 failures, ≤ 1.2x",
                verdict: !throttled ? "MISSED (failure)" : throttled.dropped > 0 ? "MISSED (dropped)" : throttledRatio <= 1.2 ? "met" : "MISSED",
            });

            // ---- drift on that stack ----------------------------------------------------------------------------------
            admin.clearLog();
            const drift = await timed(() => detectDrift({ stack }));
            const driftLog = world.emulator.log();
            const driftRequests = countGraphRequests(driftLog);
            emit({
                benchmark: `R3. \`msgraph-assignments drift\` on the N=${N} stack`,
                figure: `${driftRequests} Graph requests in ${countGraphRoundTrips(driftLog)} round trips; ${drift.value.report?.checked ?? 0} checked, ${drift.value.report?.drifted.length ?? "?"} drifted, exit ${drift.value.exitCode}; ${fmt(drift.seconds, 1)} s`,
                reference: `P=${P} policies, N=${N}`,
                ratio: `${fmt(driftRequests / P)}x P`,
                target: "requests ≤ P, exit 0",
                verdict: driftRequests <= P && drift.value.exitCode === 0 && drift.value.report?.checked === N ? "met" : "MISSED",
            });

            // ---- assign strategy: N target changes over P policies under 10 writes/s ---------------------------------
            const assignPolicies = Array.from({ length: ASSIGN_P }, (_, i) => admin.seedPolicy("groupPolicyConfigurations", { displayName: `Assign ${i}` }).id);
            const assignProgram = (filterType?: "include" | "exclude", order: DeclarationOrder = "interleaved") =>
                spreadProgram(
                    assignPolicies,
                    ASSIGN_N,
                    (i, policyId) =>
                        new GroupPolicyConfigurationAssignment(`w-${i}`, {
                            policyId,
                            target: targets.group(groupId(i, 2), filterType ? { filter: { id: FILTER, type: filterType } } : undefined),
                            writeStrategy: "assign",
                        }),
                    order,
                );
            check(await (await world.stack(echoProgram(ASSIGN_N), { stackName: "floor-updates" })).up(), "floor-updates create");
            check(await (await world.stack(assignProgram(), { stackName: "assign" })).up({ parallel: ASSIGN_N }), "assign create");
            // Each run flips every filter, so each changes all N targets.
            const changes: [number, "include" | "exclude", DeclarationOrder][] = [
                [ENGINE_DEFAULT_PARALLEL, "include", "interleaved"],
                [CLI_DEFAULT_PARALLEL, "exclude", "interleaved"],
                [ASSIGN_N, "include", "interleaved"],
                [ENGINE_DEFAULT_PARALLEL, "exclude", "grouped"],
                [CLI_DEFAULT_PARALLEL, "include", "grouped"],
            ];
            for (const [parallel, filterType, order] of changes) {
                const updateFloor = await timed(async () => (await world.stack(echoProgram(ASSIGN_N, `-${filterType}`), { stackName: "floor-updates" })).up({ parallel }));
                check(updateFloor.value, "floor-updates update");
                admin.setFaults({ rateLimit: { windowSeconds: 1, writesPerWindow: WRITE_RATE, requestsPerWindow: 100_000 } });
                admin.clearLog();
                let assignError: string | undefined;
                const changed = await timed(async () =>
                    (await world.stack(assignProgram(filterType, order), { stackName: "assign" })).up({ parallel }).catch((e: Error) => {
                        assignError = e.message.split("\n").find((l) => /error:/.test(l)) ?? e.message.slice(0, 300);
                        return undefined;
                    }),
                );
                admin.setFaults({ rateLimit: false });
                const assignLog = world.emulator.log();
                const writes = graphWrites(assignLog);
                const accepted = writes.filter((e) => e.status >= 200 && e.status < 300).length;
                const live = assignPolicies.flatMap((p) => admin.listAssignments("groupPolicyConfigurations", p));
                const notConverged = ASSIGN_N - live.filter((a) => (a.target as Record<string, unknown>).deviceAndAppManagementAssignmentFilterType === filterType).length;
                const perItemFloor = ASSIGN_N / WRITE_RATE;
                const engineRatio = changed.seconds / updateFloor.seconds;
                const label = parallelLabel(parallel);
                emit({
                    benchmark: `A1. \`assign\` strategy: N=${ASSIGN_N} target changes over P=${ASSIGN_P} policies under ${WRITE_RATE} writes/s, ${order === "grouped" ? "declared policy by policy" : "declared round-robin"}, ${label}`,
                    figure:
                        `${fmt(changed.seconds, 1)} s; ${accepted} accepted writes (${writes.length - accepted} more answered 429), ` +
                        `${countGraphRequests(assignLog)} Graph requests, ${notConverged} not converged${assignError ? `; up failed: ${assignError}` : ""}`,
                    reference: `2P = ${2 * ASSIGN_P} writes; per-item floor N/R = ${fmt(perItemFloor, 1)} s; engine floor for ${ASSIGN_N} do-nothing updates ${fmt(updateFloor.seconds, 1)} s`,
                    ratio: `${fmt(accepted / ASSIGN_P, 1)} accepted writes per policy; ${fmt(changed.seconds / perItemFloor)}x N/R; ${fmt(engineRatio)}x the engine floor`,
                    target: "accepted writes ≤ 2P, 0 failures, ≤ 1.2x the engine floor",
                    verdict: [
                        accepted <= 2 * ASSIGN_P ? "writes met" : "writes MISSED",
                        notConverged === 0 && !assignError ? "0 failures" : "FAILURES",
                        engineRatio <= 1.2 ? "time met" : "time MISSED",
                    ].join("; "),
                });
            }

            context.method(
                `N=${N} \`GroupPolicyConfigurationAssignment\`s over P=${P} policies (\`--quick\`: N=400, P=20), created for the`,
                "measurements without checkpoints (setup, not measured). Refreshes run with the engine's checkpoints as they",
                "are by default. Requests count every Graph request including those inside JSON batches (what Graph's throttle",
                "counts); round trips count HTTP requests to Graph (a batch envelope is one). The engine runs at most --parallel",
                "reads at once and a read waits for its policy's list, so at the engine's default of 8 the reads of at most 8",
                `policies can share one batch: the round-trip target (ceil(P/${MAX_BATCH_REQUESTS}) + 3) can only be reached with a parallelism`,
                "of P or more, which is why the refresh is measured at the engine's default, at msgraph-assignments' default",
                "and at N. The engine floor is the same refresh of N do-nothing dynamic resources at the same parallelism.",
                "R2 sets the emulator's token bucket to Intune's 2,000 requests per 20 s (it starts full, as for a tenant no",
                "other tool is using). R3 runs the drift command's code in this process against the same stack. A1: a stack of 200 assignments over 10 policies with `writeStrategy: assign`, all",
                "targets changed at once under a 1 s bucket of 10 writes (reads unthrottled); writes are the `assign` POSTs.",
                "Changes to one policy merge only when they are in the provider at the same time (a change joins its policy's",
                "round until the round's assign leaves, else the one round after it); the engine hands over at most --parallel",
                "updates at once, in the order the program declares them. Declared round-robin over the policies (no two",
                "consecutive resources on one policy: the worst case for merging), A1 is measured at the engine's default, at",
                "msgraph-assignments' default and at a parallelism of N; declared policy by policy (as a config repository",
                "lists them, each policy's assignments under it), at the engine's and msgraph-assignments' defaults. At",
                `--parallel 8 no more than 8 changes can be in the provider at once, so ${ASSIGN_N / ASSIGN_P} changes per policy need at least`,
                `${Math.ceil(ASSIGN_N / ASSIGN_P / ENGINE_DEFAULT_PARALLEL)} writes each there in any order. The engine floor is 200 updates of the do-nothing resource at the same parallelism.`,
            );
        } finally {
            await world.dispose();
        }
    },
};
