/**
 * Conversions between resource inputs and Graph request/response bodies, and the minimal PATCH.
 */
import type { ResourceDescription, ValueSpec } from "./types.js";
import { FILTER_ID, FILTER_TYPE, GRAPH_NAMESPACE, ODATA_TYPE, variantProperties } from "./schema.js";
import {
    containsUnknown,
    forbiddenPaths,
    isObject,
    type JsonObject,
    normalizeInputs,
    valuesEqual,
    variantOf,
} from "./normalize.js";

/**
 * Graph form of a canonical value. Filter-capable targets always carry the filter pair explicitly ("none" and a null
 * id when there is no filter) so that a PATCH removing a filter removes it even where Graph merges complex values.
 */
function toGraphValue(spec: ValueSpec, value: unknown, path: string, forbidden: ReadonlySet<string>): unknown {
    if ((spec.type !== "complex" && spec.type !== "object") || !isObject(value)) return value;
    const found = spec.type === "complex" ? variantOf(spec, value[ODATA_TYPE]) : undefined;
    const properties = spec.type === "object" ? spec.properties : found === undefined ? {} : variantProperties(found[1]);
    const out: JsonObject = { ...value };
    for (const [key, itemSpec] of Object.entries(properties)) {
        const itemPath = `${path}.${key}`;
        if (forbidden.has(itemPath)) continue;
        // Nested defaults are written out: Graph then holds exactly what the canonical form (which omits them) says.
        const item = out[key] ?? itemSpec.default;
        if (item !== undefined) out[key] = toGraphValue(itemSpec, item, itemPath, forbidden);
    }
    if (found?.[1].filter === undefined || value[FILTER_TYPE] !== undefined) return out;
    return { ...out, [FILTER_ID]: null, [FILTER_TYPE]: "none" };
}

function assertKnown(inputs: JsonObject, keys: readonly string[]): void {
    for (const key of keys) {
        if (containsUnknown(inputs[key])) throw new Error(`cannot build a Graph request body: ${key} is not known yet`);
    }
}

function withEntityType(description: ResourceDescription, body: JsonObject): JsonObject {
    return description.sendOdataType ? { [ODATA_TYPE]: description.odataType, ...body } : body;
}

/**
 * The Graph request body (create) for the inputs: body properties only, in canonical form (GUIDs lower case,
 * `@odata.type` with '#' on complex values), plus the entity `@odata.type` when the description sends it.
 * @throws Error when a body property is still unknown (only possible during preview, which never writes).
 */
export function toGraphBody(description: ResourceDescription, inputs: Readonly<JsonObject>): JsonObject {
    const canonical = normalizeInputs(description, inputs);
    assertKnown(canonical, description.bodyProperties);
    const forbidden = new Set(forbiddenPaths(description, canonical));
    const body: JsonObject = {};
    for (const key of description.bodyProperties) {
        if (canonical[key] !== undefined) body[key] = toGraphValue(description.properties[key]!, canonical[key], key, forbidden);
    }
    return withEntityType(description, body);
}

/**
 * A live entry with the `@odata.type` of each complex property spelled as the description declares its variant.
 * Graph's reads may spell a type otherwise (Windows 365 user settings read `microsoft.graph.cloudPCManagement…`,
 * capital PC and no '#') while its writes resolve only the declared name, so an entry posted back to `assign` as read
 * would be refused. A type the description does not declare, and every other value, are kept exactly as read.
 */
export function withDeclaredTypeNames(description: ResourceDescription, entry: Readonly<JsonObject>): JsonObject {
    const out: JsonObject = { ...entry };
    for (const [key, spec] of Object.entries(description.properties)) {
        const value = entry[key];
        if (spec.type !== "complex" || !isObject(value)) continue;
        const found = variantOf(spec, value[ODATA_TYPE]);
        const declared = found === undefined ? undefined : `#${GRAPH_NAMESPACE}.${found[0]}`;
        if (declared !== undefined && value[ODATA_TYPE] !== declared) out[key] = { ...value, [ODATA_TYPE]: declared };
    }
    return out;
}

/** Keeps only the properties a spec declares, at every depth (drops Graph's read-only noise). */
function prune(spec: ValueSpec, value: unknown): unknown {
    if (spec.type === "array") return Array.isArray(value) ? value.map((item) => prune(spec.items, item)) : value;
    if (!isObject(value)) return value;
    let properties: Readonly<Record<string, ValueSpec>>;
    if (spec.type === "complex") {
        const found = variantOf(spec, value[ODATA_TYPE]);
        if (found === undefined) return value;
        properties = variantProperties(found[1]);
    } else if (spec.type === "object") {
        properties = spec.properties;
    } else {
        return value;
    }
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
        if (key === ODATA_TYPE && spec.type === "complex") out[key] = item;
        else if (Object.prototype.hasOwnProperty.call(properties, key)) out[key] = prune(properties[key]!, item);
    }
    return out;
}

/**
 * Inputs-shaped object for a live Graph entity: path properties from `pathParams`, body properties from the
 * entity, in canonical form. Server-managed fields, `@odata.*` annotations, navigation properties and
 * properties a target variant does not declare are dropped, so `diffInputs(desired, fromGraphEntity(live))` is
 * empty exactly when Graph holds the desired state.
 */
export function fromGraphEntity(
    description: ResourceDescription,
    entity: Readonly<JsonObject>,
    pathParams: Readonly<Record<string, string | undefined>>,
): JsonObject {
    const inputs: JsonObject = {};
    for (const key of description.pathProperties) {
        if (pathParams[key] !== undefined) inputs[key] = pathParams[key];
    }
    for (const key of description.bodyProperties) {
        const spec = description.properties[key]!;
        inputs[key] = prune(spec, entity[key]);
    }
    return normalizeInputs(description, inputs);
}

/**
 * The smallest PATCH body taking Graph from `oldInputs` to `newInputs`: only body properties whose canonical value
 * changed; a complex property (target) goes whole with its `@odata.type`; a removed property is sent as null; the
 * entity `@odata.type` is added when the description sends it. Path properties never appear (their change is a
 * replacement). Returns undefined when nothing changed: no request is needed.
 * @throws Error when a changed body property is still unknown.
 */
export function buildMinimalPatch(
    description: ResourceDescription,
    oldInputs: Readonly<JsonObject>,
    newInputs: Readonly<JsonObject>,
): JsonObject | undefined {
    const o = normalizeInputs(description, oldInputs);
    const n = normalizeInputs(description, newInputs);
    const changed = description.bodyProperties.filter((key) => !valuesEqual(o[key], n[key]));
    assertKnown(n, changed);
    const forbidden = new Set(forbiddenPaths(description, n));
    const patch: JsonObject = {};
    for (const key of changed) {
        // A property back at Graph's default is sent as that default (an enum or boolean may not take null).
        const spec = description.properties[key]!;
        patch[key] = n[key] === undefined ? (spec.default ?? null) : toGraphValue(spec, n[key], key, forbidden);
    }
    return Object.keys(patch).length === 0 ? undefined : withEntityType(description, patch);
}
