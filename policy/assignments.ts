/**
 * How the policies see a resource: an assignment of the provider (type `pulumi-nodejs:dynamic/msgraph:<Kind>`) reduced
 * to what the rules compare — which assignment list of which Graph policy it lives in, who it targets, whether it
 * includes or excludes, its filter and intent. Everything comes from property names and the registry's descriptions,
 * never from a list of kinds, so a kind added to the registry is covered without touching the policies.
 */
import type { ComplexSpec, ResourceDescription } from "../provider/model/description.js";
import { UNKNOWN_VALUE } from "../provider/model/ids.js";
import { descriptions } from "../provider/model/registry.js";
import { FILTER_ID, FILTER_TYPE, GRAPH_NAMESPACE, ODATA_TYPE } from "../provider/model/schema.js";

/** The prefix of every resource type of this provider. */
export const TYPE_PREFIX = "pulumi-nodejs:dynamic/msgraph:";

/** Descriptions by kind; the policies take one so tests can add a kind the registry does not have yet. */
export type Registry = Readonly<Record<string, ResourceDescription>>;

export const DEFAULT_REGISTRY: Registry = descriptions;

/** The resource as the policy framework hands it over (inputs for resource policies, outputs for stack policies). */
export interface ResourceLike {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Readonly<Record<string, unknown>>;
}

/** The all-* target types, by the word a message uses for them. */
const BROAD_TARGETS: Readonly<Record<string, string>> = {
    allDevicesAssignmentTarget: "all devices",
    allLicensedUsersAssignmentTarget: "all licensed users",
};

export interface AssignmentView {
    readonly kind: string;
    readonly name: string;
    readonly urn: string;
    /** The Graph policy's id as given (undefined when absent or not yet known). */
    readonly policyId?: string;
    /**
     * Identity of the assignment list the resource writes into: two kinds that manage the same list (e.g. both
     * Windows 365 kinds) share it. From the description's list path with the inputs filled in; undefined while an
     * input it needs is unknown (preview of a value computed by another resource).
     */
    readonly listKey?: string;
    /** The target type without namespace ("groupAssignmentTarget"); undefined for kinds without a `target`. */
    readonly targetType?: string;
    /** Lower-case group id from `target.groupId` or a top-level `groupId`. */
    readonly groupId?: string;
    /** Exclusion targets (their `@odata.type` names an exclusion) exclude; everything else includes. */
    readonly excludes: boolean;
    /** "all devices" / "all licensed users" for the broad targets. */
    readonly broadTarget?: string;
    /** An assignment filter is set (a filter id with type include or exclude). */
    readonly hasFilter: boolean;
    /** The `intent` input (apps: required, available, uninstall…) when there is one. */
    readonly intent?: string;
    /**
     * What the assignment occupies in its list: one assignment per group, collection or all-* target. Undefined when
     * the target is not known yet.
     */
    readonly slot?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "#microsoft.graph.groupAssignmentTarget" → "groupAssignmentTarget" (either spelling; other strings as they are). */
export function shortTypeName(odataType: unknown): string | undefined {
    if (typeof odataType !== "string") return undefined;
    const name = odataType.replace(/^#/, "");
    return name.startsWith(`${GRAPH_NAMESPACE}.`) ? name.slice(GRAPH_NAMESPACE.length + 1) : name;
}

/** The kind of a resource of this provider, or undefined for any other resource. */
export function kindOf(type: string): string | undefined {
    return type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length) : undefined;
}

/** A non-empty known string, else undefined (Pulumi's unknown placeholder counts as not known). */
function text(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" && value !== UNKNOWN_VALUE ? value : undefined;
}

function listKeyOf(kind: string, description: ResourceDescription | undefined, props: Readonly<Record<string, unknown>>): string | undefined {
    const template = description?.assignList?.listPath ?? description?.paths.collection ?? `${kind}/{policyId}`;
    let complete = true;
    const key = template.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = text(props[name]);
        if (value === undefined) complete = false;
        return (value ?? "").toLowerCase();
    });
    return complete ? key : undefined;
}

/** The assignment view of a resource, or undefined when it is not one of this provider's resources. */
export function viewOf(resource: ResourceLike, registry: Registry = DEFAULT_REGISTRY): AssignmentView | undefined {
    const kind = kindOf(resource.type);
    if (kind === undefined) return undefined;
    const description = Object.prototype.hasOwnProperty.call(registry, kind) ? registry[kind] : undefined;
    const props = resource.props;
    const target = isRecord(props.target) ? props.target : undefined;
    const targetType = shortTypeName(target?.[ODATA_TYPE]);
    const groupId = text(target?.groupId ?? props.groupId)?.toLowerCase();
    const collectionId = text(target?.collectionId)?.toUpperCase();
    const filterType = text(target?.[FILTER_TYPE]);
    const hasFilter = text(target?.[FILTER_ID]) !== undefined && (filterType === "include" || filterType === "exclude");
    const policyId = text(props.policyId);
    const intent = text(props.intent);
    const broadTarget = targetType !== undefined ? BROAD_TARGETS[targetType] : undefined;
    const slot = groupId !== undefined ? `group:${groupId}` : collectionId !== undefined ? `collection:${collectionId}` : broadTarget !== undefined ? `type:${targetType}` : undefined;
    const listKey = listKeyOf(kind, description, props);
    return {
        kind,
        name: resource.name,
        urn: resource.urn,
        ...(policyId !== undefined ? { policyId } : {}),
        ...(listKey !== undefined ? { listKey } : {}),
        ...(targetType !== undefined ? { targetType } : {}),
        ...(groupId !== undefined ? { groupId } : {}),
        excludes: targetType !== undefined && /^exclusion/i.test(targetType),
        ...(broadTarget !== undefined ? { broadTarget } : {}),
        hasFilter,
        ...(intent !== undefined ? { intent } : {}),
        ...(slot !== undefined ? { slot } : {}),
    };
}

/** The views of every resource of this provider among `resources`. */
export function viewsOf(resources: readonly ResourceLike[], registry: Registry = DEFAULT_REGISTRY): AssignmentView[] {
    return resources.flatMap((r) => viewOf(r, registry) ?? []);
}

/**
 * Kinds of the registry whose target can be a broad (all-*) target that takes an assignment filter: they get a
 * broad-target policy each (advice to add a filter means nothing where the service applies none).
 */
export function kindsWithBroadTargets(registry: Registry = DEFAULT_REGISTRY): string[] {
    return Object.values(registry)
        .filter((d) => {
            const target = d.properties.target as ComplexSpec | undefined;
            return target?.type === "complex" && Object.entries(target.variants).some(([name, v]) => name in BROAD_TARGETS && v.filter === "allowed");
        })
        .map((d) => d.kind)
        .sort();
}

/** `Kind "name" (policy <id>)`: how every message names the resource and its Graph policy. */
export function describe(view: AssignmentView): string {
    return `${view.kind} "${view.name}" (policy ${view.policyId ?? "unknown"})`;
}
