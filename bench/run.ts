/**
 * Benchmarks (not tests). Every figure is measured against its reference in the same run, against the local
 * emulator, under the real Pulumi CLI (Automation API inline programs). Each benchmark prints ONE line; the
 * markdown goes to bench/RESULTS.md.
 *
 *   npm run bench                          # every module, full sizes
 *   npm run bench -- --quick               # smaller sizes (each module says which)
 *   npm run bench -- --only core,scale     # some modules (names below)
 *   BENCH_N, BENCH_RATE, BENCH_RATE_LOW, BENCH_RATE_HIGH   # the core module's N and write limits
 *   BENCH_RESULTS=path.md                  # where the markdown goes (default bench/RESULTS.md)
 *
 * A module is a file in bench/modules exporting a BenchModule; add it to MODULES to run it.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../scripts/pulumiEnvironment";
import { fmt } from "./lib/measure";
import type { BenchModule } from "./lib/module";
import { loadAverage, markdown, printRow, type Section } from "./lib/report";
import { coreModule } from "./modules/core";
import { growthModule } from "./modules/growth";
import { policyListsModule } from "./modules/policyLists";

const MODULES: readonly BenchModule[] = [coreModule, policyListsModule, growthModule];

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" } } });
    const only = values.only?.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const unknown = (only ?? []).filter((name) => !MODULES.some((m) => m.name === name));
    if (unknown.length > 0) throw new Error(`unknown module(s) ${unknown.join(", ")}; modules: ${MODULES.map((m) => m.name).join(", ")}`);
    const selected = MODULES.filter((m) => only === undefined || only.includes(m.name));
    const quick = values.quick ?? false;
    const results = process.env.BENCH_RESULTS ?? path.join(repoRoot, "bench", "RESULTS.md");
    const how = ["npm run bench", ...(quick || only ? ["--"] : []), ...(quick ? ["--quick"] : []), ...(only ? [`--only ${only.join(",")}`] : [])].join(" ");

    const start = Date.now();
    const loadAtStart = loadAverage();
    const sections: Section[] = [];
    for (const module of selected) {
        const section: Section = { title: module.title, rows: [], extra: [], method: [] };
        sections.push(section);
        console.log(`[bench] ${module.name}: ${module.title}${quick ? " (quick)" : ""}`);
        const moduleStart = Date.now();
        await module.run({
            quick,
            emit: (row) => {
                section.rows.push(row);
                printRow(row);
            },
            note: (line) => section.extra.push(line),
            method: (...lines) => section.method.push(...lines),
        });
        console.log(`[bench] ${module.name} took ${fmt((Date.now() - moduleStart) / 1000, 0)} s`);
    }
    const totalSeconds = (Date.now() - start) / 1000;
    console.log(`[bench] total ${fmt(totalSeconds, 0)} s`);
    writeFileSync(results, markdown(sections, how, totalSeconds, loadAtStart));
    console.log(`[bench] wrote ${path.relative(process.cwd(), results)}`);
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
