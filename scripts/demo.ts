/**
 * `npm run demo`: the provider's main job end to end against the local Graph emulator, under the real Pulumi CLI.
 *
 *   node dist/scripts/demo.js [--reset] [--state-dir <dir>]
 *
 * State (Pulumi backend, emulator data) persists in `.state/demo` (or --state-dir), so a second run reuses it and
 * first converges back to the initial desired state. --reset wipes the state folder and starts over.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EngineEvent, OutputMap, Stack } from "@pulumi/pulumi/automation";
import { isBatchEnvelope, startEmulator, type PolicyKind, type RequestLogEntry, type RunningEmulator } from "../emulator";
import { DEMO_IDS, DEMO_NAMES, DEMO_SEED, demoProgram, type DemoSettings } from "../demo/program";
import { createInlineStack, pulumiEnvironment, providerConfigFor, repoRoot } from "./pulumiEnvironment";

const IDS = DEMO_IDS;

const NAMES = DEMO_NAMES;

interface Options {
    reset: boolean;
    stateDir: string;
}

function parseArgs(argv: string[]): Options {
    const options: Options = { reset: false, stateDir: path.join(repoRoot, ".state", "demo") };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (arg === "--reset") options.reset = true;
        else if (arg === "--state-dir") {
            const value = argv[++i];
            if (!value) throw new Error("--state-dir needs a folder");
            options.stateDir = path.resolve(value);
        } else if (arg.startsWith("--state-dir=")) options.stateDir = path.resolve(arg.slice("--state-dir=".length));
        else if (arg === "--help" || arg === "-h") {
            console.log("usage: npm run demo [-- --reset] [-- --state-dir <dir>]");
            process.exit(0);
        } else throw new Error(`unknown option ${arg} (try --help)`);
    }
    return options;
}

// ---- printing helpers ------------------------------------------------------------------------------------------

let stepNo = 0;
function step(title: string): void {
    stepNo++;
    const line = `== ${stepNo}. ${title} `;
    console.log("");
    console.log(line + "=".repeat(Math.max(4, 100 - line.length)));
}
function say(text = ""): void {
    console.log(text);
}
function indent(text: string, prefix = "    "): string {
    return text
        .split("\n")
        .map((l) => (l.length ? prefix + l : l))
        .join("\n");
}
function table(rows: string[][]): string {
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
    const fmt = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd();
    return [fmt(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(fmt)].join("\n");
}
function named(id: unknown): string {
    const s = String(id ?? "");
    return NAMES[s] ? `${NAMES[s]} (${s.slice(0, 8)}…)` : s;
}
function describeTarget(target: Record<string, unknown> | undefined): string {
    if (!target) return "";
    const type = String(target["@odata.type"] ?? "").replace(/^#microsoft\.graph\./, "").replace(/AssignmentTarget$/, "");
    let text = `${type} ${NAMES[String(target.groupId)] ?? String(target.groupId ?? "")}`.trim();
    const filterType = target.deviceAndAppManagementAssignmentFilterType;
    if (filterType && filterType !== "none") text += `, filter ${filterType} "${NAMES[String(target.deviceAndAppManagementAssignmentFilterId)] ?? target.deviceAndAppManagementAssignmentFilterId}"`;
    return text;
}

/** Graph writes (not GETs, not token requests) in the emulator's log. */
// A $batch envelope is a POST that carries reads (the provider batches list GETs), not a write.
function graphWrites(emulator: RunningEmulator): RequestLogEntry[] {
    return emulator.log().filter((e) => e.method !== "GET" && !isBatchEnvelope(e) && (e.path.startsWith("/beta/") || e.path.startsWith("/v1.0/")));
}
function printWrites(writes: RequestLogEntry[]): void {
    if (writes.length === 0) {
        say("    (no write requests)");
        return;
    }
    for (const w of writes) {
        say(`    ${w.method} ${w.path}  → ${w.status}`);
        if (w.body !== undefined) say(indent(JSON.stringify(w.body, null, 2), "      "));
    }
}

function changeSummary(changes: Record<string, number> | undefined): string {
    const entries = Object.entries(changes ?? {}).filter(([, n]) => n > 0);
    return entries.length ? entries.map(([op, n]) => `${op} ${n}`).join(", ") : "no changes";
}

/** The demo's policies by emulator kind, from its seed. */
const DEMO_POLICIES = Object.entries(DEMO_SEED)
    .filter(([kind]) => kind !== "groups" && kind !== "filters")
    .flatMap(([kind, policies]) => policies.map((p) => [kind as PolicyKind, p.id] as const));

/** The emulator's live assignments of the demo policies, as a table. */
function liveTable(emulator: RunningEmulator, outputs?: OutputMap): string {
    const byAssignmentId = new Map<string, string>();
    const exported = (outputs?.assignments?.value ?? {}) as Record<string, { assignmentId?: string }>;
    for (const [name, value] of Object.entries(exported)) if (value.assignmentId) byAssignmentId.set(value.assignmentId, name);
    const rows = [["Pulumi resource", "Policy", "Assignment id", "Target (live in the emulator)"]];
    for (const [kind, policyId] of DEMO_POLICIES) {
        for (const a of emulator.admin.listAssignments(kind, policyId)) {
            rows.push([byAssignmentId.get(a.id) ?? "(not in stack)", NAMES[policyId]!, a.id, describeTarget(a.target)]);
        }
    }
    return rows.length === 1 ? "(no assignments)" : table(rows);
}

interface Drift {
    /** Pulumi resource name. */
    name: string;
    /** "deleted" (gone from Graph), "changed" (properties differ from the last known state). */
    kind: "deleted" | "changed";
    /** Changed properties as "path: old → new". */
    changes: string[];
}

function leafDiffs(before: unknown, after: unknown, at: string, out: string[]): void {
    if (before !== null && after !== null && typeof before === "object" && typeof after === "object") {
        const keys = new Set([...Object.keys(before as object), ...Object.keys(after as object)]);
        for (const key of keys) leafDiffs((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], at ? `${at}.${key}` : key, out);
    } else if (JSON.stringify(before) !== JSON.stringify(after)) {
        out.push(`${at}: ${JSON.stringify(before) ?? "(absent)"} → ${JSON.stringify(after) ?? "(absent)"}`);
    }
}

/** Drift from the refresh steps' engine events: resources whose live outputs differ from the state's. */
function collectDrift(events: EngineEvent[]): Drift[] {
    const drift: Drift[] = [];
    for (const event of events) {
        const meta = event.resOutputsEvent?.metadata;
        if (!meta || meta.op !== "refresh" || !meta.type.includes("msgraph:")) continue;
        const name = meta.urn.split("::").pop() ?? meta.urn;
        if (!meta.new) {
            drift.push({ name, kind: "deleted", changes: [] });
            continue;
        }
        const changes: string[] = [];
        leafDiffs(meta.old?.outputs ?? {}, meta.new.outputs ?? {}, "", changes);
        const relevant = changes.filter((c) => !c.startsWith("lastModifiedDateTime"));
        if (relevant.length) drift.push({ name, kind: "changed", changes: relevant });
    }
    return drift;
}

/** The steps the preview plans after refreshing (create/update/delete/replace), by resource name. */
function plannedSteps(events: EngineEvent[]): { name: string; op: string }[] {
    return events
        .map((e) => e.resourcePreEvent?.metadata)
        .filter((m): m is NonNullable<typeof m> => !!m && m.type.includes("msgraph:") && !["same", "read", "refresh"].includes(m.op))
        .map((m) => ({ name: m.urn.split("::").pop() ?? m.urn, op: m.op }));
}

/** Pulumi's --diff output for the resources only: no URN/id lines, no stack line, no outputs, no banners. */
function briefDiff(stdout: string): string {
    const lines = stdout.split("\n");
    const start = lines.findIndex((l) => /pulumi-nodejs:dynamic\/msgraph:/.test(l));
    if (start < 0) return stdout.trim();
    const kept: string[] = [];
    let header = -1;
    for (const line of lines.slice(start)) {
        if (/--outputs:--|^Resources:|^\S/.test(line)) break;
        const urn = line.match(/^\s*\[urn=.*::([^:\]]+)\]/);
        if (urn && header >= 0) kept[header] += `  ${urn[1]}`;
        if (/^\s*\[(urn|id)=/.test(line) || /pulumi:pulumi:Stack/.test(line)) continue;
        if (/msgraph:\w+: \(\w+\)/.test(line)) header = kept.length;
        kept.push(line);
    }
    return kept.join("\n").replace(/\s+$/, "");
}

/** Whether the emulator holds exactly the assignments the program declares (initial or edited variant). */
function matchesProgram(emulator: RunningEmulator, edited: boolean): boolean {
    const gpc = emulator.admin.listAssignments("groupPolicyConfigurations", IDS.baselinePolicy);
    const w365 = emulator.admin.listAssignments("provisioningPolicies", IDS.cloudPcPolicy);
    const wifi = emulator.admin.listAssignments("deviceConfigurations", IDS.wifiProfile);
    const compliance = emulator.admin.listAssignments("deviceCompliancePolicies", IDS.compliancePolicy);
    const remediation = emulator.admin.listAssignments("deviceHealthScripts", IDS.remediationScript);
    const pilot = gpc.filter((a) => a.target.groupId === IDS.pilot && String(a.target["@odata.type"]).endsWith(".groupAssignmentTarget"));
    const contractors = gpc.filter((a) => a.target.groupId === IDS.contractors && String(a.target["@odata.type"]).endsWith(".exclusionGroupAssignmentTarget"));
    return (
        gpc.length === 2 &&
        pilot.length === 1 &&
        pilot[0]!.target.deviceAndAppManagementAssignmentFilterType === (edited ? "exclude" : "include") &&
        pilot[0]!.target.deviceAndAppManagementAssignmentFilterId === IDS.filter &&
        contractors.length === 1 &&
        w365.length === 1 &&
        w365[0]!.target.groupId === IDS.engineers &&
        wifi.length === 1 && wifi[0]!.target.groupId === IDS.engineers && wifi[0]!.properties?.intent === "apply" &&
        compliance.length === 1 && String(compliance[0]!.target["@odata.type"]).endsWith(".allDevicesAssignmentTarget") &&
        remediation.length === 1 && remediation[0]!.target.groupId === IDS.pilot && remediation[0]!.properties?.runRemediationScript === true &&
        String((remediation[0]!.properties?.runSchedule as Record<string, unknown> | undefined)?.time ?? "").startsWith("01:00")
    );
}

// ---- the demo ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
    const options = parseArgs(process.argv.slice(2));
    const started = Date.now();
    if (options.reset && existsSync(options.stateDir)) {
        rmSync(options.stateDir, { recursive: true, force: true });
        say(`--reset: removed ${path.relative(repoRoot, options.stateDir) || options.stateDir}`);
    }
    mkdirSync(options.stateDir, { recursive: true });
    const dataFile = path.join(options.stateDir, "emulator.json");
    const firstRun = !existsSync(dataFile);

    step("Start the local Microsoft Graph emulator");
    const emulator = await startEmulator({
        dataFile,
        seed: DEMO_SEED,
    });
    try {
        say(`Graph emulator at ${emulator.graphBaseUrl} (data ${path.relative(repoRoot, dataFile)}, CA ${path.relative(repoRoot, emulator.caCertPath)})`);
        say(firstRun ? "Seeded (first run):" : "Reusing the seeded data from the previous run:");
        say(indent(table([
            ["Kind", "Display name", "Id"],
            ["groupPolicyConfiguration", NAMES[IDS.baselinePolicy]!, IDS.baselinePolicy],
            ["provisioningPolicy", NAMES[IDS.cloudPcPolicy]!, IDS.cloudPcPolicy],
            ["deviceConfiguration", NAMES[IDS.wifiProfile]!, IDS.wifiProfile],
            ["deviceCompliancePolicy", NAMES[IDS.compliancePolicy]!, IDS.compliancePolicy],
            ["deviceHealthScript", NAMES[IDS.remediationScript]!, IDS.remediationScript],
            ["group", NAMES[IDS.pilot]!, IDS.pilot],
            ["group", NAMES[IDS.contractors]!, IDS.contractors],
            ["group", NAMES[IDS.engineers]!, IDS.engineers],
            ["assignment filter", NAMES[IDS.filter]!, IDS.filter],
        ])));

        const settings: DemoSettings = {
            baselinePolicyId: IDS.baselinePolicy,
            cloudPcPolicyId: IDS.cloudPcPolicy,
            wifiProfileId: IDS.wifiProfile,
            compliancePolicyId: IDS.compliancePolicy,
            remediationScriptId: IDS.remediationScript,
            groups: { pilot: IDS.pilot, contractors: IDS.contractors, engineers: IDS.engineers },
            filterId: IDS.filter,
        };
        const environment = pulumiEnvironment(options.stateDir);
        const stackFor = async (edited: boolean): Promise<Stack> => {
            const stack = await createInlineStack({
                projectName: "pulumi-msgraph-assignments-demo",
                stackName: "demo",
                program: demoProgram({ ...settings, edited }),
                workDir: path.join(options.stateDir, "work"),
                environment,
            });
            await stack.setAllConfig({
                ...providerConfigFor(emulator),
            });
            return stack;
        };

        // ---- 2. initial up
        step("pulumi up: the initial desired state (demo/program.ts)");
        say("Declared: 'Security baseline' → Pilot devices with filter include 'Corporate-owned devices',");
        say("          'Security baseline' excludes Contractors, 'Engineering Cloud PCs' → Engineers,");
        say("          'Corporate Wi-Fi' → Engineers, 'Windows compliance' → all devices (through its assign action),");
        say("          'Restart stale services' → Pilot devices daily at 01:00 with remediation (assign action).");
        emulator.admin.clearLog();
        // A plain up first: it also hands the provider this run's emulator URL (a refresh would use the one in state).
        let initial = await (await stackFor(false)).up();
        if (!matchesProgram(emulator, false)) {
            // The emulator data changed behind the state (e.g. an earlier run stopped after step 4): refresh and repair.
            say("The live data differs from the Pulumi state (an earlier run was interrupted?): up --refresh to converge.");
            initial = await (await stackFor(false)).up({ refresh: true });
        }
        const initialWrites = graphWrites(emulator);
        say(`Result: ${changeSummary(initial.summary.resourceChanges)} (Pulumi counts the stack too); ${initialWrites.length} Graph write request(s)` +
            (firstRun ? "" : " (a re-run converges back to the initial state)"));
        for (const w of initialWrites) say(`    ${w.method} ${w.path} → ${w.status}`);
        say("");
        say(indent(liveTable(emulator, initial.outputs)));

        // ---- 3. edit
        step("Edit the desired state: Pilot devices' filter include → exclude");
        const edited = await stackFor(true);
        emulator.admin.clearLog();
        const preview = await edited.preview({ diff: true });
        say("pulumi preview --diff (excerpt):");
        say(indent(briefDiff(preview.stdout)));
        say(`Preview: ${changeSummary(preview.changeSummary as Record<string, number>)}; Graph writes during preview: ${graphWrites(emulator).length}`);
        emulator.admin.clearLog();
        const editUp = await edited.up();
        say("");
        say(`pulumi up: ${changeSummary(editUp.summary.resourceChanges)}. What went over the wire:`);
        const editWrites = graphWrites(emulator);
        printWrites(editWrites);
        const patchBodies = editWrites.filter((w) => w.method === "PATCH").map((w) => w.body);

        // ---- 4. drift
        step("Out-of-band change (someone edits the tenant in the portal)");
        const gpc = emulator.admin.listAssignments("groupPolicyConfigurations", IDS.baselinePolicy);
        const pilotLive = gpc.find((a) => a.target.groupId === IDS.pilot);
        const contractorsLive = gpc.find((a) => a.target.groupId === IDS.contractors);
        if (!pilotLive || !contractorsLive) throw new Error("the demo's assignments are missing in the emulator");
        emulator.admin.deleteAssignment("groupPolicyConfigurations", IDS.baselinePolicy, contractorsLive.id);
        say(`Deleted the Contractors exclusion (${contractorsLive.id}).`);
        emulator.admin.mutateAssignment("groupPolicyConfigurations", IDS.baselinePolicy, pilotLive.id, {
            target: { deviceAndAppManagementAssignmentFilterType: "include" },
        });
        say(`Changed Pilot devices' filter back to include (${pilotLive.id}).`);
        const remediationLive = emulator.admin.listAssignments("deviceHealthScripts", IDS.remediationScript)[0];
        if (!remediationLive) throw new Error("the demo's Remediations assignment is missing in the emulator");
        emulator.admin.mutateAssignment("deviceHealthScripts", IDS.remediationScript, remediationLive.id, {
            runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1, time: "05:00:00.0000000", useUtc: false },
        });
        say(`Moved the Remediations schedule of Pilot devices from 01:00 to 05:00 (${remediationLive.id}).`);
        say("");
        say(indent(liveTable(emulator, editUp.outputs)));

        say("");
        say("pulumi preview --refresh: what Pulumi finds, without changing anything:");
        emulator.admin.clearLog();
        const events: EngineEvent[] = [];
        const driftPreview = await edited.preview({ refresh: true, diff: true, onEvent: (e) => events.push(e) });
        const drift = collectDrift(events);
        for (const d of drift) {
            say(`    ${d.name}: ${d.kind === "deleted" ? "deleted in Graph (gone on refresh)" : "changed in Graph"}`);
            for (const c of d.changes) say(`        ${c}`);
        }
        if (drift.length === 0) say("    (no drift found)");
        const planned = plannedSteps(events);
        say(`To match the program, up would: ${planned.map((p) => `${p.op} ${p.name}`).join(", ") || "nothing"}.`);
        say(`Preview: ${changeSummary(driftPreview.changeSummary as Record<string, number>)}; Graph writes during preview: ${graphWrites(emulator).length}`);

        // ---- 5. repair
        step("pulumi up --refresh: repair the drift");
        emulator.admin.clearLog();
        const repair = await edited.up({ refresh: true });
        const repairWrites = graphWrites(emulator);
        say(`Result: ${changeSummary(repair.summary.resourceChanges)}. Requests sent:`);
        printWrites(repairWrites);
        say("");
        say(indent(liveTable(emulator, repair.outputs)));
        const repaired = matchesProgram(emulator, true);

        // ---- 6. summary
        step("Summary");
        say(`- up: ${changeSummary(initial.summary.resourceChanges)} (initial desired state)`);
        say(`- edit: ${editWrites.length} request(s); the PATCH carried only ${[...new Set(patchBodies.flatMap((b) => Object.keys(b as object)))].filter((k) => !k.startsWith("@odata.")).join(", ") || "—"} (plus the entity's @odata.type)`);
        say(`- drift found by preview --refresh: ${drift.map((d) => `${d.name} ${d.kind}`).join(", ") || "none"}`);
        say(`- repair: ${changeSummary(repair.summary.resourceChanges)}; live state matches the program: ${repaired ? "yes" : "NO"}`);
        say(`- state kept in ${path.relative(repoRoot, options.stateDir) || options.stateDir}; run again to replay, or with --reset to start over`);
        say(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
        // Machine-readable outcome for test/e2e/demo.test.ts.
        writeFileSync(path.join(options.stateDir, "last-run.json"), JSON.stringify({
            firstRun,
            initialChanges: initial.summary.resourceChanges,
            initialWrites: initialWrites.map(({ method, path: p, status }) => ({ method, path: p, status })),
            editWrites: editWrites.map(({ method, path: p, status, body }) => ({ method, path: p, status, body })),
            drift,
            planned,
            repairWrites: repairWrites.map(({ method, path: p, status, body }) => ({ method, path: p, status, body })),
            repaired,
        }, null, 2) + "\n");
        if (!repaired) process.exitCode = 1;
    } finally {
        await emulator.stop();
    }
}

main().catch((error: unknown) => {
    console.error("demo failed:", error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
});
