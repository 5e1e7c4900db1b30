/** One line per benchmark on the console, and the markdown of bench/RESULTS.md. */
import { execFileSync } from "node:child_process";
import os from "node:os";
import { findPulumiCli, repoRoot } from "../../scripts/pulumiEnvironment";
import { fmt } from "./measure";

export interface Row {
    benchmark: string;
    figure: string;
    reference: string;
    ratio: string;
    target: string;
    verdict: string;
}

/** What a module hands back besides its rows: a heading and the method paragraph for RESULTS.md. */
export interface Section {
    readonly title: string;
    readonly rows: Row[];
    /** Extra markdown after the table (a growth table, say). */
    readonly extra: string[];
    readonly method: string[];
}

export function printRow(row: Row): void {
    console.log(`${row.benchmark}: ${row.figure} | reference ${row.reference} | ratio ${row.ratio} | target ${row.target} | ${row.verdict}`);
}

export function commit(): string {
    try {
        const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot }).toString().trim();
        const dirty = execFileSync("git", ["status", "--porcelain", "--", "provider", "sdk", "cli", "bench"], { cwd: repoRoot }).toString().trim();
        return `commit ${head}${dirty ? " with uncommitted changes in provider/, sdk/, cli/ or bench/" : ""}`;
    } catch {
        return "unknown commit";
    }
}

/** The 1, 5 and 15 minute load averages, e.g. "2.1, 1.5, 0.9". */
export function loadAverage(): string {
    return os.loadavg().map((l) => fmt(l, 1)).join(", ");
}

export function machine(loadAtStart: string): string {
    const cpu = os.cpus()[0]?.model ?? "unknown CPU";
    const pulumiVersion = findPulumiCli().version;
    let nproc = String(os.availableParallelism());
    try {
        nproc = execFileSync("nproc").toString().trim();
    } catch {
        // keep Node's figure
    }
    return (
        `${nproc} CPUs (nproc), ${fmt(os.totalmem() / 2 ** 30, 1)} GiB memory, ${cpu}; ` +
        `${os.type()} ${os.release()}; Node ${process.version}; Pulumi CLI ${pulumiVersion}; ` +
        `load average (1, 5, 15 min) ${loadAtStart} at the start, ${loadAverage()} at the end (the machine is shared: a load above ` +
        `its ${nproc} CPUs means other work competed with this run; each ratio compares two figures measured side by side)`
    );
}

function table(rows: readonly Row[]): string[] {
    const escape = (s: string) => s.replace(/\|/g, "\\|");
    return [
        "| Benchmark | Figure | Reference (same run) | Ratio | Target | Verdict |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows.map((r) => `| ${[r.benchmark, r.figure, r.reference, r.ratio, r.target, r.verdict].map(escape).join(" | ")} |`),
    ];
}

export function markdown(sections: readonly Section[], how: string, totalSeconds: number, loadAtStart: string): string {
    return [
        "## Benchmarks",
        "",
        `Measured ${new Date().toISOString()} with \`${how}\` in ${fmt(totalSeconds, 0)} s.`,
        "",
        `Machine: ${machine(loadAtStart)}. Code: ${commit()}.`,
        "",
        ...sections.flatMap((s) => [`### ${s.title}`, "", ...table(s.rows), "", ...(s.extra.length ? [...s.extra, ""] : []), ...s.method, ""]),
    ].join("\n");
}
