/**
 * Policy pack violations reported by the engine during a preview or an up (`--policy-pack`): collected from its
 * policy events and rendered for the log and the summary file, so a pull request shows which guardrail a change
 * breaks next to the changes themselves.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";

export interface PolicyViolation {
    readonly pack: string;
    readonly policy: string;
    /** "mandatory" blocks the operation; "advisory" only warns. */
    readonly level: "mandatory" | "advisory";
    /** The resource's name; absent for a violation of the stack as a whole. */
    readonly resource?: string;
    readonly message: string;
}

/** Engine messages carry color directives (`<{%fg 1%}>`) and ANSI codes; a summary wants neither. */
function plain(text: string): string {
    // eslint-disable-next-line no-control-regex
    return text.replace(/<\{%[^%]*%\}>/g, "").replace(/\u001b\[[0-9;]*m/g, "").trim();
}

/** The violation an engine event reports, or undefined for any other event. */
export function violationOf(event: EngineEvent): PolicyViolation | undefined {
    const p = event.policyEvent;
    if (p === undefined) return undefined;
    const name = p.resourceUrn?.split("::").pop();
    const resource = name !== undefined && !p.resourceUrn!.includes("::pulumi:pulumi:Stack::") ? name : undefined;
    return {
        pack: p.policyPackName,
        policy: p.policyName,
        level: p.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
        ...(resource !== undefined ? { resource } : {}),
        message: plain(p.message),
    };
}

/** Distinct violations in the order reported, mandatory first (a preview and the up after it report the same ones). */
export function distinctViolations(violations: readonly PolicyViolation[]): PolicyViolation[] {
    const seen = new Set<string>();
    const unique = violations.filter((v) => {
        const key = JSON.stringify([v.pack, v.policy, v.resource, v.message]);
        return seen.has(key) ? false : (seen.add(key), true);
    });
    return [...unique.filter((v) => v.level === "mandatory"), ...unique.filter((v) => v.level !== "mandatory")];
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** A Markdown section listing the violations (empty when there are none). */
export function renderViolationsMarkdown(violations: readonly PolicyViolation[] | undefined): string[] {
    if (violations === undefined || violations.length === 0) return [];
    const mandatory = violations.filter((v) => v.level === "mandatory").length;
    return [
        `**Policy violations: ${mandatory} mandatory, ${violations.length - mandatory} advisory.**${mandatory > 0 ? " Mandatory violations block the deployment." : ""}`,
        "",
        "| Level | Policy | Assignment | What to change |",
        "|---|---|---|---|",
        ...violations.map((v) => `| ${v.level} | \`${cell(v.policy)}\` | ${v.resource !== undefined ? `\`${cell(v.resource)}\`` : "(stack)"} | ${cell(v.message)} |`),
        "",
    ];
}

/** One log line per violation, e.g. "mandatory policy violation duplicate-assignment-target on a: …". */
export function violationLines(violations: readonly PolicyViolation[] | undefined): string[] {
    return (violations ?? []).map((v) => `${v.level} policy violation ${v.pack}/${v.policy}${v.resource !== undefined ? ` on ${v.resource}` : ""}: ${v.message}`);
}
