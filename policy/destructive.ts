/**
 * Deletes and replacements of assignments in one update. A stack policy sees only the resources the update will
 * leave, so the previous resources come from the stack's last checkpoint (`pulumi stack export`, read in the preview
 * before the update runs): a previous assignment whose URN (or an alias of it) is gone is a delete; one whose inputs
 * change a `replaceOnChange` path of its description (the same diff the provider computes) is a replacement.
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { diffInputs } from "../provider/model/diff.js";
import { kindOf, type Registry, type ResourceLike } from "./assignments.js";
import type { Violation } from "./rules.js";

/** A resource of the previous checkpoint (deployment.resources[] of `pulumi stack export`). */
export interface PreviousResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs?: Readonly<Record<string, unknown>>;
    /** A resource left pending deletion by an earlier interrupted replacement. */
    readonly delete?: boolean;
}

export interface CurrentResource extends ResourceLike {
    /** URNs the resource was known by before (resource option `aliases`): not a delete. */
    readonly aliases?: readonly string[];
}

export interface DestructiveChange {
    readonly urn: string;
    readonly name: string;
    readonly change: "delete" | "replace";
}

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

/** The assignments the update deletes or replaces. */
export function destructiveChanges(previous: readonly PreviousResource[], current: readonly CurrentResource[], registry: Registry): DestructiveChange[] {
    const byUrn = new Map<string, CurrentResource>();
    for (const r of current) {
        byUrn.set(r.urn, r);
        for (const alias of r.aliases ?? []) if (!byUrn.has(alias)) byUrn.set(alias, r);
    }
    const changes: DestructiveChange[] = [];
    for (const old of previous) {
        const kind = kindOf(old.type);
        if (kind === undefined || old.delete === true) continue;
        const next = byUrn.get(old.urn);
        if (next === undefined) {
            changes.push({ urn: old.urn, name: nameOf(old.urn), change: "delete" });
            continue;
        }
        const description = Object.prototype.hasOwnProperty.call(registry, kind) ? registry[kind] : undefined;
        if (description === undefined || old.inputs === undefined) continue;
        try {
            if (diffInputs(description, old.inputs, next.props).replaces.length > 0) changes.push({ urn: next.urn, name: next.name, change: "replace" });
        } catch {
            // Inputs the provider's check will reject anyway: not this policy's finding.
        }
    }
    return changes;
}

/** One violation on the stack when the update deletes or replaces more than `max` assignments. */
export function tooManyDestructiveChanges(changes: readonly DestructiveChange[], max: number, stackUrn?: string): Violation[] {
    if (changes.length <= max) return [];
    const deletes = changes.filter((c) => c.change === "delete").map((c) => c.name);
    const replaces = changes.filter((c) => c.change === "replace").map((c) => c.name);
    const list = (label: string, items: string[]) => (items.length > 0 ? ` ${label} (${items.length}): ${items.join(", ")}.` : "");
    return [
        {
            urn: stackUrn ?? "",
            message:
                `This update deletes or replaces ${changes.length} assignments, more than maxDeletesAndReplacements (${max}).` +
                list("Deletes", deletes) +
                list("Replacements", replaces) +
                " Split the change into smaller updates, or raise maxDeletesAndReplacements in the policy pack config for this run.",
        },
    ];
}

/** The resources of a `pulumi stack export` document (an empty stack has none). */
export function previousResourcesOf(exported: unknown): PreviousResource[] {
    const deployment = (exported as { deployment?: { resources?: unknown } } | null)?.deployment;
    const resources = deployment?.resources;
    return Array.isArray(resources) ? (resources as PreviousResource[]) : [];
}

/** The stack the engine runs the pack for, from the language host's environment, fully qualified. */
export function stackNameFromEnv(env: NodeJS.ProcessEnv): string | undefined {
    const { PULUMI_NODEJS_ORGANIZATION: org, PULUMI_NODEJS_PROJECT: project, PULUMI_NODEJS_STACK: stack } = env;
    if (project === undefined || stack === undefined) return undefined;
    return `${org ?? "organization"}/${project}/${stack}`;
}

/**
 * The stack's last checkpoint through the Pulumi CLI on PATH (the pack runs under the engine with the user's
 * environment: backend, passphrase and login as for the update itself). Secrets stay encrypted.
 */
export async function exportStack(stackName: string, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
    const { stdout } = await promisify(execFile)("pulumi", ["stack", "export", "--stack", stackName, "--non-interactive"], {
        cwd: tmpdir(),
        env,
        maxBuffer: 256 * 1024 * 1024,
    });
    return JSON.parse(stdout);
}
