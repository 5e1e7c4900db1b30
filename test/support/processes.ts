import { readdirSync, readFileSync } from "node:fs";

/** A process as /proc shows it (Linux). */
export interface ProcessInfo {
    readonly pid: number;
    /** The command line, argv[0] first. */
    readonly args: readonly string[];
}

/** Every process running now, with its command line; one that ends while being read is left out. */
export function runningProcesses(): ProcessInfo[] {
    const processes: ProcessInfo[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            processes.push({ pid: Number(entry), args: readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0") });
        } catch {
            // the process ended between listing and reading
        }
    }
    return processes;
}

/** The parent pid of a process, from /proc/<pid>/stat; undefined once it is gone. */
export function parentPid(pid: number): number | undefined {
    try {
        return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
    } catch {
        return undefined;
    }
}

/**
 * The processes descending from `root` (its children, theirs, ...; `root` excluded): on a machine shared with other
 * runs, only these are ours.
 */
export function descendantsOf(root: number, processes: readonly ProcessInfo[] = runningProcesses()): ProcessInfo[] {
    const children = new Map<number, ProcessInfo[]>();
    for (const p of processes) {
        const parent = parentPid(p.pid);
        if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), p]);
    }
    const found: ProcessInfo[] = [];
    for (let queue = [root]; queue.length > 0; ) {
        const next = children.get(queue.shift()!) ?? [];
        found.push(...next);
        queue.push(...next.map((p) => p.pid));
    }
    return found;
}

/** The Pulumi CLI (the engine). */
export function isPulumiCli(process: ProcessInfo): boolean {
    return /(^|\/)pulumi$/.test(process.args[0] ?? "");
}

/**
 * The script of Pulumi's dynamic-provider host (`node …/@pulumi/pulumi/cmd/dynamic-provider/… <engine address>`),
 * or undefined. The plugin shim's short-lived `node -e "require.resolve('…/cmd/dynamic-provider')"` also names it
 * and is not the host.
 */
export function dynamicProviderScript(process: ProcessInfo): string | undefined {
    if (process.args.includes("-e")) return undefined;
    return process.args.slice(1).find((a) => a.includes("/cmd/dynamic-provider"));
}
