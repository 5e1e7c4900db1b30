/**
 * Canonical form of inputs and Graph values, used for every comparison (diff, drift, adoption).
 *
 * Canonical form: GUIDs lower case; collection ids upper case; `@odata.type` with its leading '#'; null and absent
 * are the same (nulls dropped); Intune's filter pair is dropped when it means "no filter" (type none or absent —
 * Graph's default — whatever the id); an absent or all-zero id next to an active type is dropped. The placeholder for
 * unknown values is kept as is.
 */
import type { ComplexSpec, ObjectSpec, ResourceDescription, ValueSpec, VariantSpec } from "./types.js";
import { normalizeGuid, UNKNOWN_VALUE, ZERO_GUID } from "./ids.js";
import { FILTER_ID, FILTER_TYPE, GRAPH_NAMESPACE, ODATA_TYPE, variantProperties } from "./schema.js";

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `value` is, or contains anywhere, Pulumi's unknown placeholder. */
export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN_VALUE) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (isObject(value)) return Object.values(value).some(containsUnknown);
    return false;
}

/**
 * The variant named by an `@odata.type` (with or without '#'), or undefined. Type names are matched ignoring case:
 * Graph's own reads are not consistent (Windows 365 user settings read their target as
 * "microsoft.graph.cloudPCManagementGroupAssignmentTarget", fact sheet §14 (f)), and no two variants differ by case only.
 */
export function variantOf(spec: ComplexSpec, odataType: unknown): [string, VariantSpec] | undefined {
    if (typeof odataType !== "string") return undefined;
    const name = odataType.replace(/^#/, "");
    const prefix = `${GRAPH_NAMESPACE}.`;
    if (name.slice(0, prefix.length).toLowerCase() !== prefix) return undefined;
    const short = name.slice(prefix.length).toLowerCase();
    const declared = Object.keys(spec.variants).find((key) => key.toLowerCase() === short);
    return declared === undefined ? undefined : [declared, spec.variants[declared]!];
}

function isNoFilterId(id: unknown): boolean {
    return id === undefined || (typeof id === "string" && id.toLowerCase() === ZERO_GUID);
}

/** none ≡ absent type ≡ (absent or all-zero id with no active type): canonical form omits both properties. */
function canonicalFilter(target: JsonObject): void {
    const type = target[FILTER_TYPE];
    const id = target[FILTER_ID];
    if (type === UNKNOWN_VALUE || id === UNKNOWN_VALUE) return;
    if (type === undefined || type === "none") {
        delete target[FILTER_TYPE];
        delete target[FILTER_ID];
    } else if (isNoFilterId(id)) {
        delete target[FILTER_ID];
    }
}

function normalizeComplex(spec: ComplexSpec, value: unknown): unknown {
    if (!isObject(value)) return value;
    const rawType = value[ODATA_TYPE];
    const found = variantOf(spec, rawType);
    const properties = found === undefined ? undefined : variantProperties(found[1]);
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
        if (item === null || item === undefined) continue;
        if (key === ODATA_TYPE) {
            // A known variant is written as declared; another type keeps its spelling, with the leading '#'.
            if (found !== undefined) out[key] = `#${GRAPH_NAMESPACE}.${found[0]}`;
            else out[key] = typeof item === "string" && item !== UNKNOWN_VALUE && !item.startsWith("#") ? `#${item}` : item;
            continue;
        }
        const itemSpec = properties?.[key];
        const normalized = itemSpec === undefined ? item : normalizeValue(itemSpec, item);
        if (normalized !== undefined) out[key] = normalized;
    }
    if (found?.[1].filter !== undefined) canonicalFilter(out);
    return out;
}

function normalizeObject(spec: ObjectSpec, value: unknown): unknown {
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
        if (item === null || item === undefined) continue;
        const itemSpec = spec.properties[key];
        const normalized = itemSpec === undefined ? item : normalizeValue(itemSpec, item);
        if (normalized !== undefined) out[key] = normalized;
    }
    return out;
}

/** "01:00" and Graph's "01:00:00.0000000" are one time: "01:00:00" (a non-zero fraction is kept, trailing zeros cut). */
function canonicalTimeOfDay(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const match = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(value);
    if (match === null) return value;
    const fraction = (match[4] ?? "").replace(/0+$/, "");
    return `${match[1]}:${match[2]}:${match[3] ?? "00"}${fraction === "" ? "" : `.${fraction}`}`;
}

/** The instant, in UTC with milliseconds: "2026-12-31T19:00:00+01:00" and "2026-12-31T18:00:00Z" are equal. */
function canonicalDateTime(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const instant = Date.parse(value);
    return Number.isNaN(instant) ? value : new Date(instant).toISOString();
}

/**
 * Canonical form of one value according to its spec; returns a new value, never mutates. A value equal to the spec's
 * Graph default is undefined: sending it and leaving it out are the same.
 */
export function normalizeValue(spec: ValueSpec, value: unknown): unknown {
    if (value === UNKNOWN_VALUE) return value;
    const normalized = normalizeBare(spec, value);
    if (spec.default !== undefined && normalized !== undefined && valuesEqual(normalized, normalizeBare(spec, spec.default))) {
        return undefined;
    }
    return normalized;
}

function normalizeBare(spec: ValueSpec, value: unknown): unknown {
    if (value === null || value === undefined) return undefined;
    switch (spec.type) {
        case "guid":
            return normalizeGuid(value);
        case "collectionId":
            return typeof value === "string" ? value.toUpperCase() : value;
        case "timeOfDay":
            return canonicalTimeOfDay(value);
        case "dateTime":
            return canonicalDateTime(value);
        case "object":
            return normalizeObject(spec, value);
        case "array":
            return Array.isArray(value) ? value.map((item) => normalizeValue(spec.items, item)) : value;
        case "complex":
            return normalizeComplex(spec, value);
        default:
            return value;
    }
}

/**
 * Canonical form of resource inputs: a new object holding only the description's input properties (Pulumi's
 * `__provider` and server-managed fields are dropped), each normalised; null and absent properties are omitted.
 */
export function normalizeInputs(description: ResourceDescription, inputs: Readonly<JsonObject>): JsonObject {
    const out: JsonObject = {};
    for (const [key, spec] of Object.entries(description.properties)) {
        const value = inputs[key];
        if (value === undefined || value === null) continue;
        const normalized = normalizeValue(spec, value);
        if (normalized !== undefined) out[key] = normalized;
    }
    // What does not apply to these inputs is not part of them (`check` refuses it in desired inputs; Graph may hold it).
    for (const path of forbiddenPaths(description, out)) dropPath(out, path.split("."));
    return out;
}

/** The dotted paths the description's rules forbid for these (canonical) inputs. */
export function forbiddenPaths(description: ResourceDescription, canonical: Readonly<JsonObject>): string[] {
    return (description.rules ?? [])
        .filter((rule) => rule.when === undefined || rule.when.values.includes(canonical[rule.when.property] as string))
        .flatMap((rule) => rule.forbid);
}

function dropPath(value: JsonObject, keys: readonly string[]): void {
    const [head, ...rest] = keys;
    if (head === undefined) return;
    if (rest.length === 0) {
        delete value[head];
        return;
    }
    const inner = value[head];
    if (isObject(inner)) {
        const copy = { ...inner };
        dropPath(copy, rest);
        value[head] = copy;
    }
}

function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    if (isObject(value)) {
        return `{${Object.keys(value)
            .sort()
            .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value) ?? "undefined";
}

/** Deep equality of two canonical values (object key order ignored). */
export function valuesEqual(a: unknown, b: unknown): boolean {
    return canonicalJson(a) === canonicalJson(b);
}
