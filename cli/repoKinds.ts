/**
 * How each registered kind is written in a configuration repository, derived from its description alone: the kinds
 * are the registry's, a kind's YAML target types are its target spec's variants, and every body property beyond the
 * target is an entry key of its own. Adding a description to provider/model/registry.ts makes its kind available to
 * the loader, export and the CLI without touching them.
 */
import { descriptions, FILTER_ID, FILTER_TYPE, GRAPH_NAMESPACE, ODATA_TYPE, type ComplexSpec, type ResourceDescription, type ValueSpec, type VariantSpec } from "../provider/model";

/** Every kind a repository may declare: the registry's, in its order. */
export function repoKinds(): readonly string[] {
    return Object.keys(descriptions);
}

/**
 * The YAML names of target variants. Kept short for the variants admins write most; a variant not listed here is
 * written as its type name without the `AssignmentTarget` suffix (e.g. `someNewAssignmentTarget` → `someNew`).
 */
const SHORT_TARGET_TYPES: Readonly<Record<string, string>> = {
    groupAssignmentTarget: "group",
    exclusionGroupAssignmentTarget: "exclusionGroup",
    allDevicesAssignmentTarget: "allDevices",
    allLicensedUsersAssignmentTarget: "allLicensedUsers",
    configurationManagerCollectionAssignmentTarget: "configurationManagerCollection",
    cloudPcManagementGroupAssignmentTarget: "group",
};

/** The YAML `target.type` of a target variant (type name without namespace). */
export function yamlTargetType(variantName: string): string {
    return SHORT_TARGET_TYPES[variantName] ?? variantName.replace(/AssignmentTarget$/, "");
}

/** One target variant as the YAML names it. */
export interface YamlTargetVariant {
    /** `target.type` in the YAML. */
    readonly type: string;
    /** The variant's type name without namespace. */
    readonly variant: string;
    readonly spec: VariantSpec;
}

/**
 * Where a kind's target lives in its inputs: `target` (a complex value whose variants are the YAML types), or `flat`
 * for a kind whose body has a plain `groupId` instead (the Windows 365 draft shape): its YAML target is a group.
 */
export interface TargetShape {
    readonly form: "target" | "flat";
    /** The input property the YAML `target` maps to ("target" or "groupId"). */
    readonly property: string;
    readonly variants: readonly YamlTargetVariant[];
    /** Keys a YAML target of this kind may have. */
    readonly keys: readonly string[];
}

const FLAT_GROUP: VariantSpec = { properties: { groupId: { type: "guid" } }, required: ["groupId"] };

/** The kind's target shape. @throws Error when the description has neither a complex `target` nor a `groupId`. */
export function targetShapeOf(description: ResourceDescription): TargetShape {
    const target = description.properties.target;
    if (target !== undefined && target.type === "complex" && description.bodyProperties.includes("target")) {
        const variants = Object.entries(target.variants).map(([variant, spec]) => ({ type: yamlTargetType(variant), variant, spec }));
        return { form: "target", property: "target", variants, keys: targetKeys(variants) };
    }
    if (description.bodyProperties.includes("groupId") && description.properties.groupId?.type === "guid") {
        const variants = [{ type: "group", variant: "group", spec: FLAT_GROUP }];
        return { form: "flat", property: "groupId", variants, keys: targetKeys(variants) };
    }
    throw new Error(`${description.kind}: a configuration repository needs a complex "target" or a "groupId" body property`);
}

/** type; groupId and group (a display name) where a variant takes a group; filter where a variant carries the pair. */
function targetKeys(variants: readonly YamlTargetVariant[]): string[] {
    const keys = new Set<string>(["type"]);
    for (const { spec } of variants) {
        for (const name of Object.keys(spec.properties)) {
            keys.add(name);
            if (name === "groupId") keys.add("group");
        }
        if (spec.filter !== undefined) keys.add("filter");
    }
    return [...keys];
}

/** The body properties of a kind written as entry keys of their own (everything but the target). */
export function entryProperties(description: ResourceDescription): readonly string[] {
    const { property } = targetShapeOf(description);
    return description.bodyProperties.filter((key) => key !== property);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * An entry property's value as the provider takes it. A polymorphic value may name its variant with `type:` instead
 * of `"@odata.type":` (YAML needs quotes around the latter), where the variants have no `type` property of their own.
 */
export function entryValueToInput(spec: ValueSpec, value: unknown): unknown {
    if (spec.type !== "complex" || !isObj(value) || value[ODATA_TYPE] !== undefined || typeof value.type !== "string") return value;
    if (!takesTypeShorthand(spec)) return value;
    const { type, ...rest } = value;
    return { [ODATA_TYPE]: `#${GRAPH_NAMESPACE}.${type}`, ...rest };
}

/**
 * An input value in the form an admin writes it in YAML (the inverse of {@link entryValueToInput}, for export and the
 * generated examples): a polymorphic value names its variant with `type:` where it may, and a time of day on the
 * minute drops Graph's seconds ("01:00", not "01:00:00"). Both forms load to the same canonical input.
 */
export function inputToEntryValue(spec: ValueSpec, value: unknown): unknown {
    switch (spec.type) {
        case "timeOfDay":
            return typeof value === "string" ? value.replace(/^(\d{2}:\d{2}):00$/, "$1") : value;
        case "array":
            return Array.isArray(value) ? value.map((item) => inputToEntryValue(spec.items, item)) : value;
        case "object":
            return isObj(value) ? mapProperties(spec.properties, value) : value;
        case "complex": {
            if (!isObj(value) || typeof value[ODATA_TYPE] !== "string") return value;
            const variantName = value[ODATA_TYPE].replace(/^#?microsoft\.graph\./, "");
            const variant = spec.variants[variantName];
            if (variant === undefined) return value;
            const { [ODATA_TYPE]: odataType, ...rest } = value;
            const properties = mapProperties(variant.properties, rest);
            return takesTypeShorthand(spec) ? { type: variantName, ...properties } : { [ODATA_TYPE]: odataType, ...properties };
        }
        default:
            return value;
    }
}

function mapProperties(specs: Readonly<Record<string, ValueSpec>>, value: Obj): Obj {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, specs[key] !== undefined ? inputToEntryValue(specs[key]!, v) : v]));
}

function takesTypeShorthand(spec: ComplexSpec): boolean {
    return Object.values(spec.variants).every((variant) => !("type" in variant.properties));
}

/**
 * The YAML entry keys (target and entry properties) of a kind's body inputs: the inverse of the loader's mapping,
 * used by export. Inputs are canonical (normalizeInputs). Undefined when the target's type is not one of the kind's.
 */
export function entryFromInputs(description: ResourceDescription, inputs: Readonly<Obj>): { target: Obj; properties: Obj } | undefined {
    const shape = targetShapeOf(description);
    let target: Obj;
    if (shape.form === "flat") {
        target = { type: "group", groupId: inputs.groupId };
    } else {
        const live = inputs.target;
        if (!isObj(live)) return undefined;
        const variant = String(live[ODATA_TYPE] ?? "").replace(/^#?microsoft\.graph\./, "");
        const known = shape.variants.find((v) => v.variant === variant);
        if (known === undefined) return undefined;
        target = { type: known.type };
        for (const [key, value] of Object.entries(live)) {
            if (key === ODATA_TYPE || key === FILTER_ID || key === FILTER_TYPE || value === undefined || value === null) continue;
            target[key] = value;
        }
        const filterType = live[FILTER_TYPE];
        if (typeof live[FILTER_ID] === "string" && (filterType === "include" || filterType === "exclude")) {
            target.filter = { id: live[FILTER_ID], type: filterType };
        }
    }
    const properties: Obj = {};
    for (const key of entryProperties(description)) {
        const value = inputs[key];
        const spec = description.properties[key];
        if (value !== undefined && value !== null) properties[key] = spec !== undefined ? inputToEntryValue(spec, value) : value;
    }
    return { target, properties };
}
