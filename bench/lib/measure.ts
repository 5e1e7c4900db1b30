/** Measuring helpers shared by the benchmark modules: wall time, CPU and peak memory per process, Graph request counts. */
import { readFileSync } from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import { countGraphRequests, countGraphRoundTrips, isBatchEnvelope, type RequestLogEntry } from "../../emulator";
import { descendantsOf, dynamicProviderScript, isPulumiCli } from "../../test/support/processes";

export { countGraphRequests, countGraphRoundTrips };

/** Graph requests (standalone and inside batches), without batch envelopes and token requests. */
export function graphRequests(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
    return entries.filter((e) => (e.path.startsWith("/beta/") || e.path.startsWith("/v1.0/")) && !isBatchEnvelope(e));
}

/** Graph writes: non-GET requests, a JSON batch envelope (which carries reads) excluded. */
export function graphWrites(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
    return graphRequests(entries).filter((e) => e.method !== "GET");
}

export function bytes(value: unknown): number {
    return Buffer.byteLength(JSON.stringify(value), "utf8");
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
    const start = process.hrtime.bigint();
    const value = await work();
    return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat; undefined once it is gone. */
function processCpuSeconds(pid: string): number | undefined {
    try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
        return undefined;
    }
}

export interface ProcessUse {
    /** Peak VmHWM (KiB) over the dynamic-provider processes. */
    peakKiB: number;
    /** Provider processes seen. */
    processes: number;
    /** CPU seconds: the Pulumi engine (CLI), the dynamic-provider plugin(s), and this process (program + emulator). */
    cpu: { engine: number; provider: number; program: number };
}

/**
 * Polls /proc while `work` runs: the peak memory of this process's dynamic-provider descendants, and the CPU used by
 * the engine, the provider and this process, to say where the wall time of an operation goes.
 */
export async function withProcessUse<T>(work: () => Promise<T>): Promise<{ value: T } & ProcessUse> {
    const peaks = new Map<number, number>();
    const cpu = new Map<string, { role: "engine" | "provider"; seconds: number }>();
    const poll = () => {
        // Only this run's processes: other runs on a shared machine have engines and providers of their own.
        for (const candidate of descendantsOf(process.pid)) {
            const entry = String(candidate.pid);
            try {
                const isProvider = dynamicProviderScript(candidate) !== undefined;
                const isEngine = isPulumiCli(candidate);
                if (!isProvider && !isEngine) continue;
                const seconds = processCpuSeconds(entry);
                if (seconds !== undefined) cpu.set(entry, { role: isEngine ? "engine" : "provider", seconds });
                if (!isProvider) continue;
                const status = readFileSync(`/proc/${entry}/status`, "utf8");
                const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
                if (hwm) peaks.set(Number(entry), Math.max(peaks.get(Number(entry)) ?? 0, Number(hwm[1])));
            } catch {
                // the process ended between listing and reading
            }
        }
    };
    const timer = setInterval(poll, 100);
    const ownStart = process.cpuUsage();
    try {
        const value = await work();
        poll();
        const own = process.cpuUsage(ownStart);
        const sum = (role: "engine" | "provider") => [...cpu.values()].filter((c) => c.role === role).reduce((a, c) => a + c.seconds, 0);
        return {
            value,
            peakKiB: Math.max(0, ...peaks.values()),
            processes: peaks.size,
            cpu: { engine: sum("engine"), provider: sum("provider"), program: (own.user + own.system) / 1e6 },
        };
    } finally {
        clearInterval(timer);
    }
}

/** Byte sizes of the serialized provider (`__provider`) of every resource of `type` in the stack's state. */
export async function providerSizes(stack: Stack, type: string): Promise<number[]> {
    const exported = await stack.exportStack();
    const resources = (exported.deployment as { resources?: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] })
        .resources ?? [];
    return resources
        .filter((r) => r.type === type)
        .map((r) => {
            const serialized = r.outputs?.__provider ?? r.inputs?.__provider;
            return typeof serialized === "string" ? Buffer.byteLength(serialized, "utf8") : NaN;
        });
}

/** How many resources of `type` the stack's state holds. */
export async function resourcesInState(stack: Stack, type: string): Promise<number> {
    const exported = await stack.exportStack();
    return ((exported.deployment as { resources?: { type: string }[] }).resources ?? []).filter((r) => r.type === type).length;
}

/** Throws unless the Automation API result says the operation succeeded. */
export function check(result: { summary: { result: string } }, what: string): void {
    if (result.summary.result !== "succeeded") throw new Error(`${what}: ${result.summary.result}`);
}

export function fmt(x: number, digits = 2): string {
    return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** "met" when `ratio` is within `limit`, else "MISSED". */
export function verdict(ratio: number, limit: number): string {
    return ratio <= limit ? "met" : "MISSED";
}
