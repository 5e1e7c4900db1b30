/**
 * How cost grows with N: create and refresh of N assignments at several sizes, each against the engine's own figure
 * for N do-nothing resources, with the engine's checkpoints and without (PULUMI_SKIP_CHECKPOINTS); provider peak
 * memory at the largest N against the do-nothing provider.
 */
import * as automation from "@pulumi/pulumi/automation";
import { GroupPolicyConfigurationAssignment, targets } from "../../sdk";
import type { E2eWorld } from "../../test/e2e/harness";
import { check, fmt, timed, withProcessUse } from "../lib/measure";
import { moduleWorld, warmUp, type BenchContext, type BenchModule } from "../lib/module";
import { echoProgram, groupId, spreadProgram } from "../lib/programs";

const PER_POLICY = 20;

interface Figures {
    createSeconds: number;
    refreshSeconds: number;
    peakKiB: number;
}

async function measure(world: E2eWorld, stackName: string, program: automation.PulumiFn, skipCheckpoints: boolean): Promise<Figures> {
    const stack = await world.stack(program, { stackName });
    if (skipCheckpoints) stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
    const create = await withProcessUse(() => timed(() => stack.up()));
    check(create.value.value, `${stackName} create`);
    const refresh = await timed(() => stack.refresh());
    check(refresh.value, `${stackName} refresh`);
    return { createSeconds: create.value.seconds, refreshSeconds: refresh.seconds, peakKiB: create.peakKiB };
}

export const growthModule: BenchModule = {
    name: "growth",
    title: "Growth with N, with and without the engine's checkpoints",
    async run(context: BenchContext) {
        const sizes = context.quick ? [200, 500] : [200, 1000, 2000];
        const world = await moduleWorld("growth");
        const { admin } = world.emulator;
        const table = [
            "| N | checkpoints | create | do-nothing create | create ratio | refresh | do-nothing refresh | refresh ratio | provider VmHWM (do-nothing) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ];
        const largest: { n: number; ours: Figures; floor: Figures }[] = [];
        try {
            await warmUp(world);
            for (const n of sizes) {
                for (const skip of [false, true]) {
                    const mode = skip ? "skipped" : "written";
                    const policies = Array.from({ length: Math.ceil(n / PER_POLICY) }, (_, i) => admin.seedPolicy("groupPolicyConfigurations", { displayName: `Growth ${n} ${mode} ${i}` }).id);
                    const space = 10 + sizes.indexOf(n) * 2 + (skip ? 1 : 0);
                    const floor = await measure(world, `floor-${n}-${mode}`, echoProgram(n), skip);
                    const ours = await measure(
                        world,
                        `growth-${n}-${mode}`,
                        spreadProgram(policies, n, (i, policyId) => new GroupPolicyConfigurationAssignment(`a-${i}`, { policyId, target: targets.group(groupId(i, space)) })),
                        skip,
                    );
                    const line =
                        `| ${n} | ${mode} | ${fmt(ours.createSeconds, 1)} s | ${fmt(floor.createSeconds, 1)} s | ${fmt(ours.createSeconds / floor.createSeconds)}x | ` +
                        `${fmt(ours.refreshSeconds, 1)} s | ${fmt(floor.refreshSeconds, 1)} s | ${fmt(ours.refreshSeconds / floor.refreshSeconds)}x | ` +
                        `${fmt(ours.peakKiB / 1024, 0)} MiB (${fmt(floor.peakKiB / 1024, 0)} MiB) ${fmt(ours.peakKiB / floor.peakKiB)}x |`;
                    table.push(line);
                    console.log(`[growth] ${line}`);
                    if (n === sizes[sizes.length - 1]) largest.push({ n, ours, floor });
                }
            }
            for (const [index, { n, ours, floor }] of largest.entries()) {
                const ratio = ours.peakKiB / floor.peakKiB;
                const mode = index === 0 ? "checkpoints written" : "checkpoints skipped";
                context.emit({
                    benchmark: `G1. provider peak memory (VmHWM) during the create of N=${n} assignments, ${mode}`,
                    figure: `${fmt(ours.peakKiB / 1024, 1)} MiB`,
                    reference: `${fmt(floor.peakKiB / 1024, 1)} MiB for the do-nothing provider creating ${n}`,
                    ratio: `${fmt(ratio)}x`,
                    target: "≤ 1.2x",
                    verdict: ratio <= 1.2 ? "met" : "MISSED",
                });
            }
            const create = largest.map((l) => l.ours.createSeconds);
            context.emit({
                benchmark: `G2. up creating N=${sizes[sizes.length - 1]} assignments: checkpoints skipped against written`,
                figure: `${fmt(create[1]!, 1)} s skipped`,
                reference: `${fmt(create[0]!, 1)} s written`,
                ratio: `${fmt(create[1]! / create[0]!)}x`,
                target: "(reported: why `msgraph-assignments up` skips them above 100 assignments)",
                verdict: "measured",
            });
        } finally {
            await world.dispose();
        }
        for (const line of table) context.note(line);
        context.method(
            `Sizes ${sizes.join(", ")} (\`--quick\`: 200 and 500), ${PER_POLICY} assignments per policy, no latency, no throttle, the engine's`,
            "default parallelism. Each row is a fresh stack: `up` creating N, then `refresh`, both with the engine's",
            "checkpoints written after every step (its default) or skipped (`PULUMI_SKIP_CHECKPOINTS=true`, for the create and",
            "the refresh alike), next to the same two operations on N do-nothing dynamic resources under the same setting.",
            "VmHWM is the dynamic-provider process's peak resident memory during the create.",
        );
    },
};
