/**
 * Drift detection: compares what a stack's state says each assignment is (its last applied inputs) with what Graph
 * holds now, using the provider's own read and canonical comparison, the way `pulumi refresh` reads: each resource
 * with the write strategy its stored provider module carries, else the stack's `msgraph:writeStrategy`, else `auto`.
 * Read-only: no Pulumi update runs and nothing is written to Graph or the state.
 *
 * Why not `pulumi preview --refresh`: with inline programs the refresh-preview diff is only available as engine
 * events without property values for dynamic resources, and it would also re-run the program (needing its inputs,
 * e.g. a config repository). Reading the state's inputs and the live entities directly gives property-level
 * before/after for exactly what was deployed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type * as automation from "@pulumi/pulumi/automation";
import { createAssignmentProvider } from "../provider/engine/assignmentProvider";
import { PolicyLists } from "../provider/engine/policyLists";
import { descriptions, getDescription, normalizeInputs, valuesEqual } from "../provider/model";
import { resolveWriteStrategy } from "../provider/resourceOptions";
import { providerModuleArguments } from "../sdk/dynamicAssignmentResource";
import { graphClientFor, type GraphConfig } from "./graphSettings";

const TYPE_PREFIX = "pulumi-nodejs:dynamic/msgraph:";

export interface DriftOptions {
    /** The stack to check (select it with the Automation API; its program is not run). */
    readonly stack: automation.Stack;
    /** `msgraph:*` values overriding the stack's config (e.g. other credentials for a read-only identity). */
    readonly config?: GraphConfig;
    /** Where `drift-report.json` and `drift-report.md` go; no files when absent. */
    readonly reportDir?: string;
    /** Progress messages (one per assignment checked). */
    readonly onProgress?: (message: string) => void;
    /** Assignments checked at once (default 20). */
    readonly concurrency?: number;
}

export interface PropertyChange {
    /** Dotted property path, e.g. "target.deviceAndAppManagementAssignmentFilterType". */
    readonly property: string;
    /** As the stack's state expects it (canonical form). */
    readonly before: unknown;
    /** As Graph holds it now; undefined when the assignment is gone. */
    readonly after: unknown;
}

export interface DriftedAssignment {
    readonly name: string;
    readonly urn: string;
    readonly kind: string;
    readonly policyId: string;
    readonly assignmentId: string;
    /** "changed": properties differ; "deleted": Graph no longer holds the assignment. */
    readonly status: "changed" | "deleted";
    readonly changes: readonly PropertyChange[];
}

export interface DriftReport {
    readonly stack: string;
    readonly checkedAt: string;
    readonly checked: number;
    readonly drifted: readonly DriftedAssignment[];
}

export interface DriftResult {
    /** 0: no drift, 2: drift, 1: error (see `error`). */
    readonly exitCode: 0 | 1 | 2;
    readonly report?: DriftReport;
    readonly error?: string;
    readonly files?: { readonly json: string; readonly markdown: string };
}

interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    /** Set on a read-only reference (the SDK's `get`): not desired state, so never drift. */
    external?: boolean;
}

/** Leaf-level differences between two canonical values. */
function leafChanges(prefix: string, before: unknown, after: unknown): PropertyChange[] {
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    if (isObj(before) && isObj(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((k) => leafChanges(`${prefix}.${k}`, before[k], after[k]));
    }
    return valuesEqual(before ?? null, after ?? null) ? [] : [{ property: prefix, before, after }];
}

/** The options in the resource's stored provider module (`__provider`), which refresh would run. */
function storedOptions(resource: StateResource): unknown {
    const text = resource.outputs?.__provider ?? resource.inputs?.__provider;
    return typeof text === "string" ? providerModuleArguments(text)?.options : undefined;
}

function withoutReserved(values: Record<string, unknown> | undefined): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values ?? {}).filter(([k]) => !k.startsWith("__")));
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(limit, items.length) }, async () => {
            while (next < items.length) {
                const i = next++;
                results[i] = await fn(items[i]!, i);
            }
        }),
    );
    return results;
}

/**
 * Indices of `items` taken round-robin across groups (first one of every group, then the second, ...), keeping order
 * inside a group. Reading in this order puts the first read of every policy in the first waves, so the listings of
 * different policies share JSON batches; later reads of a policy are served from its listing.
 */
export function roundRobinOrder<T>(items: readonly T[], groupOf: (item: T) => string): number[] {
    const groups = new Map<string, number[]>();
    items.forEach((item, i) => {
        const key = groupOf(item);
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [i]);
        else group.push(i);
    });
    const order: number[] = [];
    const lists = [...groups.values()];
    for (let round = 0; order.length < items.length; round++) {
        for (const group of lists) if (round < group.length) order.push(group[round]!);
    }
    return order;
}

/** Reads in flight at once: one JSON batch's worth (Graph combines at most 20 requests). */
const DEFAULT_DRIFT_CONCURRENCY = 20;

/** Detects drift of every assignment in the stack's state; never throws (errors give exit code 1). */
export async function detectDrift(options: DriftOptions): Promise<DriftResult> {
    const progress = options.onProgress ?? (() => {});
    try {
        progress(`reading the state of stack ${options.stack.name}`);
        const deployment = await options.stack.exportStack();
        const resources = ((deployment.deployment as { resources?: StateResource[] }).resources ?? []).filter(
            (r) => r.type.startsWith(TYPE_PREFIX) && r.id !== undefined && r.id !== "" && r.external !== true,
        );
        const stackConfig = await options.stack.getAllConfig();
        const config: Record<string, string | undefined> = {};
        for (const [key, value] of Object.entries(stackConfig)) if (key.startsWith("msgraph:")) config[key] = value.value;
        Object.assign(config, options.config ?? {});
        const client = graphClientFor(config);
        const configLookup = { get: (key: string) => config[key] };
        // A drift run writes nothing: one listing per policy serves every assignment of it for the whole run, and
        // enough reads run at once for the listings of different policies to share JSON batches.
        const lists = new PolicyLists(client, { shareWindowMs: Number.POSITIVE_INFINITY });
        let done = 0;
        const order = roundRobinOrder(resources, (r) => `${r.type}/${String(r.outputs?.policyId ?? "").toLowerCase()}`);
        const inReadOrder = await mapLimit(order.map((i) => resources[i]!), options.concurrency ?? DEFAULT_DRIFT_CONCURRENCY, async (resource): Promise<DriftedAssignment | undefined> => {
            const kind = resource.type.slice(TYPE_PREFIX.length);
            const description = getDescription(kind);
            const strategy = resolveWriteStrategy(storedOptions(resource), configLookup, description);
            const provider = createAssignmentProvider(description, {
                client: () => client,
                lists: () => lists,
                writeStrategy: () => strategy,
                consistencyWindowMs: 0,
            });
            const outputs = withoutReserved(resource.outputs);
            const desired = normalizeInputs(description, withoutReserved(resource.inputs));
            const live = await provider.read(resource.id!, outputs);
            done += 1;
            const name = resource.urn.split("::").pop() ?? resource.urn;
            progress(`[${done}/${resources.length}] checked ${name}`);
            const base = {
                name,
                urn: resource.urn,
                kind,
                policyId: String(desired.policyId ?? outputs.policyId ?? ""),
                assignmentId: resource.id!,
            };
            if (live.props === undefined) {
                const changes = description.bodyProperties.flatMap((k) => leafChanges(k, desired[k], undefined));
                return { ...base, status: "deleted" as const, changes };
            }
            const liveProps = live.props as Record<string, unknown>;
            const changes = description.bodyProperties.flatMap((k) =>
                valuesEqual(desired[k], liveProps[k]) ? [] : leafChanges(k, desired[k], liveProps[k]),
            );
            return changes.length > 0 ? { ...base, status: "changed" as const, changes } : undefined;
        });
        // The report keeps the state's order.
        const results: (DriftedAssignment | undefined)[] = new Array(resources.length);
        order.forEach((resourceIndex, readIndex) => (results[resourceIndex] = inReadOrder[readIndex]));
        const report: DriftReport = {
            stack: options.stack.name,
            checkedAt: new Date().toISOString(),
            checked: resources.length,
            drifted: results.filter((r): r is DriftedAssignment => r !== undefined),
        };
        const exitCode = report.drifted.length > 0 ? 2 : 0;
        if (options.reportDir === undefined) return { exitCode, report };
        return { exitCode, report, files: writeDriftReports(report, options.reportDir) };
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { exitCode: 1, error: message };
    }
}

/** Writes drift-report.json and drift-report.md into `dir`. */
export function writeDriftReports(report: DriftReport, dir: string): { json: string; markdown: string } {
    mkdirSync(dir, { recursive: true });
    const json = path.join(dir, "drift-report.json");
    const markdown = path.join(dir, "drift-report.md");
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(markdown, renderMarkdown(report));
    return { json, markdown };
}

function show(value: unknown): string {
    return value === undefined ? "(absent)" : typeof value === "string" ? value : JSON.stringify(value);
}

function rows(report: DriftReport): string[][] {
    return report.drifted.flatMap((d) =>
        (d.changes.length > 0 ? d.changes : [{ property: "", before: undefined, after: undefined }]).map((c) => [
            d.name,
            d.kind,
            d.status,
            c.property,
            show(c.before),
            d.status === "deleted" ? "(deleted)" : show(c.after),
        ]),
    );
}

const HEADERS = ["Assignment", "Kind", "Status", "Property", "Expected (state)", "Live (Graph)"];

/** Markdown fit for a pull-request comment. */
export function renderMarkdown(report: DriftReport): string {
    const lines = [`### Assignment drift: stack \`${report.stack}\``, ""];
    if (report.drifted.length === 0) {
        lines.push(`No drift: all ${report.checked} assignment(s) match the stack's state (checked ${report.checkedAt}).`, "");
        return lines.join("\n");
    }
    lines.push(
        `**${report.drifted.length}** of ${report.checked} assignment(s) drifted (checked ${report.checkedAt}). ` +
            "`pulumi up` puts them back; `pulumi refresh` accepts the live values.",
        "",
        `| ${HEADERS.join(" | ")} |`,
        `|${HEADERS.map(() => "---").join("|")}|`,
    );
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    for (const row of rows(report)) lines.push(`| ${row.map((c, i) => (i === 3 || i >= 4 ? `\`${cell(c)}\`` : cell(c))).join(" | ")} |`);
    lines.push("", "<details><summary>Assignment ids</summary>", "");
    for (const d of report.drifted) lines.push(`- \`${d.name}\`: ${d.kind} \`${d.assignmentId}\` on policy \`${d.policyId}\``);
    lines.push("", "</details>", "");
    return lines.join("\n");
}

/** A plain-text table for the terminal. */
export function renderTable(report: DriftReport): string {
    if (report.drifted.length === 0) return `No drift: ${report.checked} assignment(s) checked in stack ${report.stack}.\n`;
    const all = [HEADERS, ...rows(report)];
    const widths = HEADERS.map((_, i) => Math.min(60, Math.max(...all.map((r) => r[i]!.length))));
    const fmt = (r: string[]) => r.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join("  ").trimEnd();
    return [
        `${report.drifted.length} of ${report.checked} assignment(s) drifted in stack ${report.stack}:`,
        fmt(all[0]!),
        widths.map((w) => "-".repeat(w)).join("  "),
        ...all.slice(1).map(fmt),
        "",
    ].join("\n");
}

export { descriptions };
