/**
 * What a preview or an up changes, per resource, taken from the engine's events, and its renderings: one line for the
 * log and Markdown for a pull-request comment or a CI job summary ($GITHUB_STEP_SUMMARY, ##vso[task.uploadsummary]).
 * Only assignments are listed: the stack resource and default providers are plumbing a reviewer does not act on.
 * A create that took over an assignment this stack did not create (the provider's warning "adopted existing
 * assignment <id> on policy <id>" on the resource) is marked: a later destroy would delete that assignment.
 */
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import { renderViolationsMarkdown, type PolicyViolation } from "./policyViolations";

export type ChangeKind = "create" | "update" | "replace" | "delete";
export const CHANGE_KINDS: readonly ChangeKind[] = ["create", "update", "replace", "delete"];

export interface ResourceChange {
    readonly name: string;
    /** Short type: "GroupPolicyConfigurationAssignment" for the provider's resources, else the full type token. */
    readonly kind: string;
    readonly change: ChangeKind;
    readonly urn: string;
    readonly policyId?: string;
    /** Top-level input properties that differ (updates and replaces). */
    readonly properties: readonly string[];
    /** Set when the step took over this existing assignment (Graph id), which the stack did not create. */
    readonly adopted?: string;
}

export interface ChangeSummary {
    readonly operation: "preview" | "up";
    readonly stack: string;
    readonly changes: readonly ResourceChange[];
    /** Resources the run left as they were. */
    readonly unchanged: number;
    /** Set when the run failed: the engine's error lines (secrets removed). */
    readonly errors?: readonly string[];
    /** What the policy packs given with --policy-pack reported. */
    readonly policyViolations?: readonly PolicyViolation[];
}

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/msgraph:";
/** The provider's adoption warning (provider/engine/adoption.ts). */
const ADOPTED = /^adopted existing assignment (\S+) on policy (\S+)$/;

/** The engine spells one replacement as up to three steps; a reviewer sees one "replace". */
function changeOf(op: OpType): ChangeKind | "same" | undefined {
    switch (op) {
        case "create":
        case "update":
        case "delete":
            return op;
        case "replace":
        case "create-replacement":
        case "delete-replaced":
            return "replace";
        case "same":
            return "same";
        default:
            return undefined; // read, refresh, discard, import…: not a change to the desired state
    }
}

function isPlumbing(type: string): boolean {
    return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

/** Collects resource steps from engine events; `summary()` gives the per-resource view of the whole run. */
export class ChangeCollector {
    private readonly byUrn = new Map<string, ResourceChange | "same">();
    /** Assignment ids adopted per URN, from the provider's warnings. */
    private readonly adoptedByUrn = new Map<string, string>();

    /** Pass to the Automation API's `onEvent`. */
    readonly onEvent = (event: EngineEvent): void => {
        const diagnostic = event.diagnosticEvent;
        if (diagnostic?.severity === "warning" && diagnostic.urn?.includes(`::${DYNAMIC_PREFIX}`)) {
            const adopted = ADOPTED.exec(diagnostic.message.replace(/<\{%[^%]*%\}>/g, "").trim());
            if (adopted !== null) this.adoptedByUrn.set(diagnostic.urn, adopted[1]!);
            return;
        }
        const step = event.resourcePreEvent?.metadata;
        if (step === undefined || isPlumbing(step.type)) return;
        const change = changeOf(step.op);
        if (change === undefined) return;
        if (change === "same") {
            if (!this.byUrn.has(step.urn)) this.byUrn.set(step.urn, "same");
            return;
        }
        const inputs = (step.new?.inputs ?? step.old?.inputs ?? {}) as Record<string, unknown>;
        const policyId = typeof inputs.policyId === "string" ? inputs.policyId : undefined;
        const previous = this.byUrn.get(step.urn);
        this.byUrn.set(step.urn, {
            name: step.urn.split("::").pop() ?? step.urn,
            kind: step.type.startsWith(DYNAMIC_PREFIX) ? step.type.slice(DYNAMIC_PREFIX.length) : step.type,
            change,
            urn: step.urn,
            ...(policyId !== undefined ? { policyId } : {}),
            properties: [...new Set([...(typeof previous === "object" ? previous.properties : []), ...(step.diffs ?? step.keys ?? [])])]
                .filter((p) => !p.startsWith("__"))
                .sort(),
        });
    };

    changes(): ResourceChange[] {
        const order = (c: ResourceChange) => CHANGE_KINDS.indexOf(c.change);
        return [...this.byUrn.values()]
            .filter((c): c is ResourceChange => c !== "same")
            .map((c) => (this.adoptedByUrn.has(c.urn) ? { ...c, adopted: this.adoptedByUrn.get(c.urn)! } : c))
            .sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
    }

    unchanged(): number {
        return [...this.byUrn.values()].filter((c) => c === "same").length;
    }
}

export function countByKind(changes: readonly ResourceChange[]): Record<ChangeKind, number> {
    const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, delete: 0 };
    for (const c of changes) counts[c.change] += 1;
    return counts;
}

const PLANNED: Record<ChangeKind, string> = { create: "to create", update: "to update", replace: "to replace", delete: "to delete" };
const DONE: Record<ChangeKind, string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted" };

function countsText(summary: ChangeSummary, bold: boolean): string {
    const counts = countByKind(summary.changes);
    const words = summary.operation === "preview" ? PLANNED : DONE;
    const parts = CHANGE_KINDS.map((k) => (bold && counts[k] > 0 ? `**${counts[k]} ${words[k]}**` : `${counts[k]} ${words[k]}`));
    const adopted = summary.changes.filter((c) => c.adopted !== undefined).length;
    const adoptedText = adopted === 0 ? "" : `; ${adopted} existing assignment${adopted === 1 ? "" : "s"} adopted`;
    return `${parts.join(", ")}, ${summary.unchanged} unchanged${bold && adopted > 0 ? `**${adoptedText}**` : adoptedText}`;
}

/** One line for the end of the log, e.g. "preview of stack prod: 5 to create, 0 to update, … 0 unchanged". */
export function summaryLine(summary: ChangeSummary): string {
    if (summary.errors !== undefined) {
        const first = summary.errors[0] ?? "see the errors above";
        return `${summary.operation} of stack ${summary.stack} failed: ${first.length > 240 ? `${first.slice(0, 239)}…` : first}`;
    }
    return `${summary.operation} of stack ${summary.stack}: ${countsText(summary, false)}`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** Markdown for a pull-request comment or a CI job summary. */
export function renderChangeMarkdown(summary: ChangeSummary): string {
    const title = summary.operation === "preview" ? "Assignment changes planned" : "Assignment changes applied";
    const lines = [`### ${title}: stack \`${summary.stack}\``, "", ...renderViolationsMarkdown(summary.policyViolations)];
    if (summary.errors !== undefined) {
        lines.push(`**The ${summary.operation} failed.** Nothing in this list was applied.`, "", "```text", ...summary.errors.map((e) => e.replace(/```/g, "'''")), "```", "");
        return lines.join("\n");
    }
    if (summary.changes.length === 0) {
        lines.push(`No changes: all ${summary.unchanged} assignment(s) already match the configuration.`, "");
        return lines.join("\n");
    }
    lines.push(countsText(summary, true), "", "| Change | Assignment | Kind | Policy | Changed properties |", "|---|---|---|---|---|");
    for (const c of summary.changes) {
        const props = c.change === "update" || c.change === "replace" ? c.properties.map((p) => `\`${cell(p)}\``).join(", ") : "";
        const change = c.adopted !== undefined ? `${c.change}: adopted \`${cell(c.adopted)}\`` : c.change;
        lines.push(`| ${change} | \`${cell(c.name)}\` | ${cell(c.kind)} | ${c.policyId !== undefined ? `\`${cell(c.policyId)}\`` : ""} | ${props} |`);
    }
    lines.push("");
    if (summary.changes.some((c) => c.adopted !== undefined)) {
        lines.push(
            "Adopted: these assignments existed before and were not created by this stack; the stack now manages them, " +
                "and a destroy (or removing them from the configuration) deletes them unless the resource has `retainOnDelete`.",
            "",
        );
    }
    return lines.join("\n");
}
