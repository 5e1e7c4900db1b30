/**
 * Configuration repository: YAML files under `<dir>/assignments/*.yaml` (or `*.yml`) declaring assignments, one file
 * per policy or team. Every entry is validated with the provider's own JSON Schemas (provider/model validateInputs)
 * before anything reaches Pulumi or Graph; errors name the file, the entry and the property.
 *
 * ```yaml
 * policies:
 *   - kind: GroupPolicyConfigurationAssignment      # any kind of the registry (provider/model/registry.ts)
 *     policyId: 8b5e6a4c-0000-4000-8000-000000000001   # or policy: <display name>, resolved per tenant
 *     policyName: Baseline                          # optional, documentation only
 *     writeStrategy: auto                           # optional: item | assign | auto
 *     adoptExisting: false                          # optional: refuse to take over assignments made elsewhere
 *     assignments:
 *       - name: baseline-engineers                  # Pulumi resource name, unique in the repository
 *         adoptExisting: true                       # optional, overrides the policy's
 *         target:
 *           type: group                             # group | exclusionGroup | allDevices | allLicensedUsers | configurationManagerCollection
 *           group: Engineers                        # display name resolved through Graph, or groupId: <GUID>
 *           filter: { id: <GUID>, type: include }   # optional, not for exclusionGroup; or { name: <display name>, type }
 *         intent: apply                             # a kind's own properties beyond target, by their input names
 * ```
 * Everything per kind comes from its description (cli/repoKinds.ts): `target.type` is one of the kind's target
 * variants (Windows 365 kinds: `group`, with `servicePlanId`, `allotmentDisplayName`, `allotmentLicensesCount` where the
 * kind's target has them), and the entry keys beyond name/target/adoptExisting are the kind's other body properties.
 * A polymorphic property may name its variant with `type:` instead of `"@odata.type":`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import * as sdk from "../sdk";
import { getSharedGraphClient, resolveAuthSettings, type GraphClient } from "../provider/graph";
import { descriptions, FILTER_ID, FILTER_TYPE, GRAPH_NAMESPACE, getDescription, ODATA_TYPE, UNKNOWN_VALUE, validateInputs, type ResourceDescription } from "../provider/model";
import { applyNames, matchGroupNames, namesNeeded, readTenantNames } from "./nameResolution";
import { writeStrategies } from "../provider/engine/assignmentProvider";
import type { ConfigEntry, ConfigError, ConfigRepo, Kind, TargetSpec } from "./configTypes";
import { entryProperties, entryValueToInput, repoKinds, targetShapeOf } from "./repoKinds";

export type { ConfigEntry, ConfigError, ConfigRepo, Kind, TargetSpec, TargetType } from "./configTypes";

/** Every kind a repository may declare: the registry's. */
export const KINDS: readonly string[] = repoKinds();
/** The YAML target types of Intune's targets (a kind's own come from its description, see cli/repoKinds). */
export const TARGET_TYPES = ["group", "exclusionGroup", "allDevices", "allLicensedUsers", "configurationManagerCollection"] as const;
const ADOPT_EXISTING_PROBLEM = "must be true or false (unquoted)";
const POLICY_KEYS = ["kind", "policyId", "policy", "policyName", "writeStrategy", "adoptExisting", "assignments"];
const ENTRY_KEYS = ["name", "target", "adoptExisting", "tenants"];
/** A stack name as Pulumi accepts it. */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The entry's adoptExisting, else the policy's (both already checked to be booleans when present). */
function adoptExistingOf(entry: unknown, policy: unknown): { adoptExisting?: boolean } {
    const value = entry ?? policy;
    return typeof value === "boolean" ? { adoptExisting: value } : {};
}





type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const defined = (o: Obj) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * Provider inputs for an entry. `groupId` is the resolved id of `group` (display name); while unresolved the
 * unknown placeholder stands in, which validation accepts like Pulumi's own unknowns.
 */
export function toInputs(entry: Pick<ConfigEntry, "kind" | "policyId" | "target" | "properties">, groupId?: string): Record<string, unknown> {
    const description = getDescription(entry.kind);
    const shape = targetShapeOf(description);
    const { type, group, groupId: givenGroupId, filter, ...rest } = entry.target;
    const gid = givenGroupId ?? groupId ?? (group !== undefined ? UNKNOWN_VALUE : undefined);
    const inputs: Obj = { policyId: entry.policyId };
    if (shape.form === "flat") {
        if (gid !== undefined) inputs[shape.property] = gid;
    } else {
        const variant = shape.variants.find((v) => v.type === type)?.variant;
        inputs[shape.property] = defined({
            [ODATA_TYPE]: variant !== undefined ? `#${GRAPH_NAMESPACE}.${variant}` : type,
            groupId: gid,
            ...rest,
            [FILTER_ID]: filter === undefined ? undefined : filter.id ?? UNKNOWN_VALUE,
            [FILTER_TYPE]: filter?.type,
        });
    }
    for (const [key, value] of Object.entries(entry.properties ?? {})) {
        const spec = description.properties[key];
        inputs[key] = spec !== undefined ? entryValueToInput(spec, value) : value;
    }
    return inputs;
}

/** Input property path (provider schema) → property path as written in the YAML entry. */
function yamlProperty(description: ResourceDescription, entry: ConfigEntry, inputPath: string): string {
    if (inputPath === "policyId") return "policyId";
    const shape = targetShapeOf(description);
    if (shape.form === "flat" && inputPath === shape.property) return "target.groupId";
    const top = inputPath.split(".")[0]!;
    if (top !== shape.property) {
        // A polymorphic entry property written with the `type:` shorthand names its variant there.
        const written = entry.properties?.[top];
        const shorthand = isObj(written) && written[ODATA_TYPE] === undefined && written.type !== undefined;
        return shorthand ? inputPath.replace(new RegExp(`^${escapeRe(top)}\\.@odata\\.type`), `${top}.type`) : inputPath;
    }
    return inputPath
        .replace(new RegExp(`^${escapeRe(shape.property)}\\.`), "target.")
        .replace(/^target\.deviceAndAppManagementAssignmentFilterId$/, "target.filter.id")
        .replace(/^target\.deviceAndAppManagementAssignmentFilterType$/, "target.filter.type")
        .replace(/^target\.(@odata\.type)/, "target.type");
}

/** Rewrites the provider's reason (which names input properties) in YAML terms. */
function yamlReason(inputPath: string, reason: string, yamlPath: string): string {
    return inputPath !== "" && reason.startsWith(inputPath) ? `${yamlPath}${reason.slice(inputPath.length)}` : reason;
}

/** The YAML files of a repository: `<dir>/assignments/*.y(a)ml`, or `<dir>/*.y(a)ml` when there is no assignments/. */
export function configFiles(dir: string): string[] {
    const sub = path.join(dir, "assignments");
    const base = existsDir(sub) ? sub : dir;
    return readdirSync(base)
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort()
        .map((f) => path.join(base, f));
}

function existsDir(p: string): boolean {
    try {
        return statSync(p).isDirectory();
    } catch {
        return false;
    }
}

/** Parses and validates every file of the repository; never throws for content problems (see `errors`). */
export function loadConfigRepo(dir: string, options: { readonly stack?: string } = {}): ConfigRepo {
    const files = configFiles(dir);
    const entries: ConfigEntry[] = [];
    const errors: ConfigError[] = [];
    const names = new Map<string, string>();
    for (const file of files) {
        const rel = path.relative(dir, file) || path.basename(file);
        const fail = (entry: string, property: string, reason: string) => {
            const message = `${rel}: ${entry === "" ? "" : `${entry}: `}${property === "" ? "" : `${property}: `}${reason}`;
            if (errors.some((e) => e.message === message)) return; // e.g. a bad policyId, found once per entry
            errors.push({
                file: rel,
                entry,
                property,
                message,
            });
        };
        let doc: unknown;
        try {
            doc = yaml.load(readFileSync(file, "utf8"), { filename: rel });
        } catch (e) {
            fail("", "", `is not valid YAML (${(e as Error).message.split("\n")[0]})`);
            continue;
        }
        if (doc === undefined || doc === null) continue; // empty file
        if (!isObj(doc) || !Array.isArray(doc.policies)) {
            fail("", "policies", "the file must be a mapping with a `policies` list");
            continue;
        }
        for (const key of Object.keys(doc)) if (key !== "policies") fail("", key, `unexpected top-level key (expected: policies)`);
        doc.policies.forEach((policy: unknown, p: number) => {
            const where = `policies[${p}]`;
            if (!isObj(policy)) return fail(where, "", "must be a mapping with kind, policyId and assignments");
            for (const key of Object.keys(policy)) {
                if (!POLICY_KEYS.includes(key)) fail(where, key, `unexpected property (expected: ${POLICY_KEYS.join(", ")})`);
            }
            const kind = policy.kind;
            if (typeof kind !== "string" || !(KINDS as readonly string[]).includes(kind)) {
                return fail(where, "kind", `must be one of: ${KINDS.join(", ")}`);
            }
            const description = getDescription(kind);
            const shape = targetShapeOf(description);
            const ownKeys = entryProperties(description);
            const entryKeys = [...ENTRY_KEYS, ...ownKeys];
            const named = policy.policy;
            if (named !== undefined && (typeof named !== "string" || named.trim() === "")) return fail(where, "policy", "must be a policy display name");
            if (named !== undefined && policy.policyId !== undefined) return fail(where, "policy", "give either policyId or policy (display name), not both");
            if (named !== undefined) policy.policyId = UNKNOWN_VALUE;
            if (policy.policyId === undefined || policy.policyId === null) {
                return fail(where, "policyId", `is required (the policy's ${description.pathKinds.policyId === "intuneId" ? "Intune id" : "GUID"}), or give policy: <display name>`);
            }
            // YAML reads some unquoted values as numbers; the schema then says what a policy id must be.
            if (typeof policy.policyId !== "string") policy.policyId = String(policy.policyId);
            if (policy.policyName !== undefined && typeof policy.policyName !== "string") fail(where, "policyName", "must be a string");
            const ws = policy.writeStrategy;
            if (ws !== undefined && !(writeStrategies as readonly string[]).includes(ws as string)) {
                fail(where, "writeStrategy", `must be one of: ${writeStrategies.join(", ")}`);
            }
            if (policy.adoptExisting !== undefined && typeof policy.adoptExisting !== "boolean") {
                fail(where, "adoptExisting", ADOPT_EXISTING_PROBLEM);
            }
            if (!Array.isArray(policy.assignments)) return fail(where, "assignments", "must be a list of assignments");
            policy.assignments.forEach((item: unknown, a: number) => {
                const at = `${where}.assignments[${a}]`;
                if (!isObj(item)) return fail(at, "", "must be a mapping with name and target");
                const label = typeof item.name === "string" ? `${at} "${item.name}"` : at;
                const before = errors.length;
                // Per-stack overrides: `tenants: { <stack>: { skip?, target?, <entry property>… } }`, merged into the
                // entry (target keys one by one) when the program runs on that stack, then validated like the entry.
                const tenants = item.tenants;
                if (tenants !== undefined) {
                    if (!isObj(tenants)) return fail(label, "tenants", "must be a mapping of stack name → overrides");
                    for (const [stack, override] of Object.entries(tenants)) {
                        if (!STACK_NAME.test(stack)) fail(label, `tenants.${stack}`, "is not a stack name (letters, digits, '.', '_' or '-')");
                        else if (!isObj(override)) fail(label, `tenants.${stack}`, "must be a mapping of overrides (skip, target, or the entry's properties)");
                        else {
                            for (const key of Object.keys(override)) {
                                if (key !== "skip" && key !== "target" && !ownKeys.includes(key)) fail(label, `tenants.${stack}.${key}`, `cannot be overridden per stack (expected: skip, target${ownKeys.map((k) => `, ${k}`).join("")})`);
                            }
                            if (override.skip !== undefined && typeof override.skip !== "boolean") fail(label, `tenants.${stack}.skip`, "must be true or false (unquoted)");
                            if (override.target !== undefined && !isObj(override.target)) fail(label, `tenants.${stack}.target`, "must be a mapping of target keys");
                        }
                    }
                    if (errors.length > before) return;
                    const override = options.stack !== undefined ? (tenants[options.stack] as Obj | undefined) : undefined;
                    if (override?.skip === true) return;
                    if (override !== undefined) {
                        const { skip: _skip, target: targetOverride, ...rest } = override;
                        Object.assign(item, rest);
                        if (isObj(targetOverride)) item.target = { ...(isObj(item.target) ? item.target : {}), ...targetOverride };
                    }
                }
                for (const key of Object.keys(item)) {
                    if (!entryKeys.includes(key)) fail(label, key, `unexpected property for ${kind} (expected: ${entryKeys.join(", ")})`);
                }
                if (item.adoptExisting !== undefined && typeof item.adoptExisting !== "boolean") fail(label, "adoptExisting", ADOPT_EXISTING_PROBLEM);
                if (typeof item.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(item.name)) {
                    fail(label, "name", "is required: letters, digits, '.', '_' or '-' (it becomes the Pulumi resource name)");
                } else if (names.has(item.name)) {
                    fail(label, "name", `is already used by ${names.get(item.name)} (names must be unique in the repository)`);
                }
                const target = item.target;
                if (!isObj(target)) return fail(label, "target", "is required: a mapping with type and groupId, group or collectionId");
                const type = target.type;
                const types = shape.variants.map((v) => v.type);
                const variant = shape.variants.find((v) => v.type === type);
                if (typeof type !== "string" || variant === undefined) {
                    return fail(label, "target.type", `must be one of: ${types.join(", ")}`);
                }
                for (const key of Object.keys(target)) {
                    if (!shape.keys.includes(key)) fail(label, `target.${key}`, `unexpected property for ${kind}`);
                }
                const takesGroup = "groupId" in variant.spec.properties;
                if (target.groupId !== undefined && target.group !== undefined) {
                    fail(label, "target.group", "give either groupId or group (display name), not both");
                }
                if (target.group !== undefined && (typeof target.group !== "string" || target.group.trim() === "")) {
                    fail(label, "target.group", "must be a group display name");
                }
                if (takesGroup && variant.spec.required.includes("groupId") && target.groupId === undefined && target.group === undefined) {
                    fail(label, "target.groupId", `is required for a ${type} target (or give group: <display name>)`);
                }
                if (!takesGroup && (target.groupId !== undefined || target.group !== undefined)) {
                    fail(label, "target.groupId", `not allowed for a ${type} target`);
                }
                if (target.filter !== undefined && !isObj(target.filter)) fail(label, "target.filter", "must be a mapping { id, type } or { name, type }");
                if (isObj(target.filter)) {
                    for (const key of Object.keys(target.filter)) if (!["id", "name", "type"].includes(key)) fail(label, `target.filter.${key}`, "unexpected property (expected: id or name, and type)");
                    const { id, name } = target.filter;
                    if (id !== undefined && name !== undefined) fail(label, "target.filter.name", "give either id or name (display name), not both");
                    else if (name !== undefined && (typeof name !== "string" || name.trim() === "")) fail(label, "target.filter.name", "must be an assignment filter display name");
                    else if (id === undefined && name === undefined) fail(label, "target.filter.id", "is required when a filter is given (or give name: <display name>)");
                    if (target.filter.type === undefined) fail(label, "target.filter.type", "is required when a filter is given (include or exclude)");
                }
                if (errors.length > before) return;
                const properties = Object.fromEntries(ownKeys.filter((key) => item[key] !== undefined).map((key) => [key, item[key]]));
                const entry: ConfigEntry = {
                    file: rel,
                    location: at,
                    name: item.name as string,
                    kind: kind as Kind,
                    policyId: policy.policyId as string,
                    ...(typeof named === "string" ? { policy: named } : {}),
                    ...(typeof policy.policyName === "string" ? { policyName: policy.policyName } : {}),
                    ...(ws !== undefined ? { writeStrategy: ws as ConfigEntry["writeStrategy"] } : {}),
                    ...adoptExistingOf(item.adoptExisting, policy.adoptExisting),
                    target: target as unknown as TargetSpec,
                    ...(Object.keys(properties).length > 0 ? { properties } : {}),
                };
                const failures = validateInputs(description, toInputs(entry));
                for (const f of failures) {
                    const prop = yamlProperty(description, entry, f.property);
                    const whereIs = prop === "policyId" ? where : label;
                    fail(whereIs, prop, yamlReason(f.property, f.reason, prop).replace(new RegExp(`^${escapeRe(prop)} `), ""));
                }
                if (failures.length > 0) return;
                names.set(entry.name, `${rel} ${at}`);
                entries.push(entry);
            });
        });
    }
    errors.push(...slotConflicts(entries));
    return { dir, files, entries, errors };
}

/** Graph keeps one assignment per target slot of a policy: two entries for the same slot would fight. */
export function slotConflicts(entries: readonly ConfigEntry[]): ConfigError[] {
    const errors: ConfigError[] = [];
    const slots = new Map<string, ConfigEntry>();
    for (const entry of entries) {
        const d = descriptions[entry.kind]!;
        const t = entry.target;
        const ident = t.groupId !== undefined ? `group:${t.groupId.toLowerCase()}` : t.group !== undefined ? `groupName:${t.group}` : t.collectionId !== undefined ? `collection:${t.collectionId.toUpperCase()}` : `type:${t.type}`;
        const policy = entry.policy !== undefined ? `name:${entry.policy.toLowerCase()}` : entry.policyId.toLowerCase();
        const key = `${d.kind}/${policy}/${ident}`;
        const other = slots.get(key);
        if (other !== undefined) {
            errors.push({
                file: entry.file,
                entry: `${entry.location} "${entry.name}"`,
                property: "target",
                message: `${entry.file}: ${entry.location} "${entry.name}": target: assigns the same target of policy ${entry.policy ?? entry.policyId} as ${other.file} ${other.location} "${other.name}" (Graph keeps one assignment per target)`,
            });
        } else slots.set(key, entry);
    }
    return errors;
}

function escapeRe(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Loads the repository and throws one Error listing every problem. */
export function loadConfigRepoOrThrow(dir: string, stack?: string): ConfigRepo {
    const repo = loadConfigRepo(dir, stack !== undefined ? { stack } : {});
    if (repo.errors.length > 0) {
        throw new Error(`the configuration repository ${dir} has ${repo.errors.length} problem(s):\n${repo.errors.map((e) => `  - ${e.message}`).join("\n")}`);
    }
    return repo;
}

/** Group ids for display names, through `GET /groups?$filter=displayName eq '…'`. Ambiguous or unknown names throw. */
export async function resolveGroupNames(client: GraphClient, names: Iterable<string>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const [name, match] of await matchGroupNames(client, names)) {
        if ("unknown" in match) throw new Error(`group "${name}" was not found in Entra (GET /groups?$filter=displayName eq '…')`);
        if ("ambiguous" in match) throw new Error(`group name "${name}" is ambiguous: ${match.ambiguous.length} groups have it; use groupId`);
        out.set(name, match.id);
    }
    return out;
}

/** An SDK resource class: every registered kind has one, exported from sdk/ under its kind's name. */
type AssignmentClass = new (name: string, args: Record<string, unknown>) => pulumi.CustomResource & { readonly assignmentId: pulumi.Output<string> };

/** The SDK class of a kind. @throws Error when sdk/ exports none (a registered kind without its SDK class). */
export function sdkClassOf(kind: Kind): AssignmentClass {
    const exported = (sdk as unknown as Record<string, unknown>)[kind];
    if (typeof exported !== "function") throw new Error(`the SDK has no class for kind ${kind} (sdk/index.ts must export one)`);
    return exported as AssignmentClass;
}

/** Reads `msgraph:*` stack config of the running program without Pulumi's secret-access warnings. */
function programConfig() {
    return { get: (key: string) => pulumi.runtime.getConfig(key.includes(":") ? key : `msgraph:${key}`) };
}

/**
 * The repository's entries with every display name (policies, filters, groups) replaced by its id in the stack's
 * tenant. @throws Error listing every name that did not resolve (file, entry, name), before anything is declared.
 */
export async function resolveEntries(repo: ConfigRepo, client: () => GraphClient): Promise<ConfigEntry[]> {
    const needed = namesNeeded(repo.entries);
    if (needed.collections.size === 0 && !needed.filters && needed.groups.length === 0) return [...repo.entries];
    const { entries, errors } = applyNames(repo.entries, await readTenantNames(client(), needed));
    errors.push(...slotConflicts(entries));
    if (errors.length > 0) {
        throw new Error(`the configuration repository ${repo.dir} names ${errors.length} thing(s) this tenant does not resolve; nothing was changed:\n${errors.map((e) => `  - ${e.message}`).join("\n")}`);
    }
    return entries;
}

/**
 * A Pulumi program declaring every assignment of the repository (resource name = entry name). The repository is
 * loaded and validated when the program runs; display names (policies, filters, groups) are resolved through Graph then.
 * Outputs: `assignments` = { <name>: assignmentId }.
 */
export function configRepoProgram(dir: string): () => Promise<Record<string, unknown>> {
    return async () => {
        const repo = loadConfigRepoOrThrow(dir, pulumi.getStack());
        const entries = await resolveEntries(repo, () => getSharedGraphClient(resolveAuthSettings(programConfig(), process.env)));
        const ids: Record<string, pulumi.Output<string>> = {};
        for (const entry of entries) {
            const inputs = toInputs(entry) as never;
            const ws = {
                ...(entry.writeStrategy !== undefined ? { writeStrategy: entry.writeStrategy } : {}),
                ...(entry.adoptExisting !== undefined ? { adoptExisting: entry.adoptExisting } : {}),
            };
            const resource = new (sdkClassOf(entry.kind))(entry.name, { ...(inputs as object), ...ws });
            ids[entry.name] = resource.assignmentId;
        }
        return { assignments: ids };
    };
}
