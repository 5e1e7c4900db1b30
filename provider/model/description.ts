/**
 * The declarative description of one Graph assignment resource type. One description drives validation (its JSON
 * Schema is generated from {@link ResourceDescription.properties}), normalisation, diff, PATCH building and path
 * building alike: adding a resource type means adding a description, never touching the engine.
 */
import { buildInputSchema } from "./schema.js";

export { UNKNOWN_VALUE } from "./ids.js";

/** A JSON Schema document (draft-07, as compiled by ajv's default class). */
export type JSONSchema = { readonly [keyword: string]: unknown };

/** Graph paths relative to the API version root; `{placeholders}` are filled by `buildPath` from inputs and id. */
export interface ResourcePaths {
    /** The assignments collection: GET lists, POST creates (where Graph supports item-level POST). */
    readonly collection: string;
    /** One assignment, `{id}` being the Graph assignment id: GET, PATCH, DELETE. */
    readonly item: string;
    /** The policy's `assign` action, which REPLACES the whole assignment list (fallback when item POST is refused). */
    readonly assign?: string;
    /** The parent policy (exists-check; Windows 365 reads assignments through `?$expand=assignments`). */
    readonly parent: string;
}

/** A GUID; compared case-insensitively (canonical form: lower case). */
export interface GuidSpec {
    readonly type: "guid";
}
/** A Configuration Manager collection id; compared case-insensitively (canonical form: upper case). */
export interface CollectionIdSpec {
    readonly type: "collectionId";
}
/** A free-form display string, compared exactly. */
export interface StringSpec {
    readonly type: "string";
    readonly maxLength: number;
}
/** One of a fixed set of strings (a Graph enum), compared exactly. */
export interface EnumSpec {
    readonly type: "enum";
    readonly values: readonly string[];
}
/** An integer, compared exactly. */
export interface IntegerSpec {
    readonly type: "integer";
    readonly minimum: number;
    readonly maximum: number;
}

/**
 * Whether a target variant carries Intune's assignment filter pair
 * (deviceAndAppManagementAssignmentFilterId / deviceAndAppManagementAssignmentFilterType):
 * "allowed" — optional filter; "forbidden" — only "none" is accepted (exclusion targets).
 */
export type FilterSupport = "allowed" | "forbidden";

/** One concrete type of a polymorphic complex value. */
export interface VariantSpec {
    /** Properties of this variant besides `@odata.type` and the filter pair. */
    readonly properties: Readonly<Record<string, ValueSpec>>;
    readonly required: readonly string[];
    /** Present when the variant derives from deviceAndAppManagementAssignmentTarget. */
    readonly filter?: FilterSupport;
    /** `{ a: ["b"] }`: when `a` is set, `b` must be set too. */
    readonly dependentRequired?: Readonly<Record<string, readonly string[]>>;
}

/**
 * A polymorphic complex value discriminated by `@odata.type` (abstract Graph base type). Variant keys are type names
 * without namespace ("groupAssignmentTarget"); inputs may write them as "#microsoft.graph.X" or "microsoft.graph.X".
 * Compared whole; sent whole (with its `@odata.type`) in a PATCH.
 */
export interface ComplexSpec {
    readonly type: "complex";
    readonly variants: Readonly<Record<string, VariantSpec>>;
}

/** How a property is validated, normalised and compared. */
export type ValueSpec = GuidSpec | CollectionIdSpec | StringSpec | EnumSpec | IntegerSpec | ComplexSpec;

/** Everything needed to define a resource; {@link defineResource} derives the rest. */
export interface ResourceDefinition {
    /** Type name used in the Pulumi type token `pulumi-nodejs:dynamic/msgraph:<kind>`. Forever: never rename. */
    readonly kind: string;
    readonly paths: ResourcePaths;
    /** Entity `@odata.type`, e.g. "#microsoft.graph.groupPolicyConfigurationAssignment". */
    readonly odataType: string;
    /** Whether request bodies carry the entity `@odata.type` (Intune's documented PATCH examples do). */
    readonly sendOdataType: boolean;
    /** Every input property and how it is compared. Keys are exactly `bodyProperties` ∪ `pathProperties`. */
    readonly properties: Readonly<Record<string, ValueSpec>>;
    /** Input properties that must be set. */
    readonly required: readonly string[];
    /**
     * Property paths whose change forces a replacement (top-level name or dotted path into a complex value,
     * e.g. "target.groupId"). Everything else is updated in place.
     */
    readonly replaceOnChange: readonly string[];
    /** Entity properties Graph owns; never compared, never sent. */
    readonly serverManaged: readonly string[];
    /** Inputs sent in the Graph request body. */
    readonly bodyProperties: readonly string[];
    /** Inputs that only go into the URL; never in a body, never in a PATCH. */
    readonly pathProperties: readonly string[];
    /**
     * Identity of the "slot" an assignment occupies in its policy, computed from the canonical body properties:
     * Graph keeps at most one assignment per slot (one per group, collection or all-* target). Used to find an
     * existing live entity matching desired inputs (adoption, recovery after a POST with unknown outcome) and to
     * decide deleteBeforeReplace. Must not depend on updatable details such as filters.
     */
    matchKey(body: Readonly<Record<string, unknown>>): string;
    /**
     * How the policy's whole assignment list is read and written back through its `assign` action (the write
     * strategy for tenants that refuse item routes). Absent: the type only supports item routes.
     */
    readonly assignList?: AssignListSpec;
}

/** Reading and re-posting a policy's whole assignment list (see {@link ResourceDefinition.assignList}). */
export interface AssignListSpec {
    /** GET path of the list: a collection (`{value:[...]}`) or a parent read with `?$expand=assignments`. */
    readonly listPath: string;
    readonly listShape: "collection" | "expand";
    /** Properties of a live entry posted back to `assign` unchanged (entries this stack does not manage included). */
    readonly entryProperties: readonly string[];
    /** A live list entry in this type's entity shape (default: as it is). */
    readonly toEntity?: (entry: Readonly<Record<string, unknown>>) => Record<string, unknown>;
    /** This type's request body (from `toGraphBody`) as an `assign` entry (default: as it is). */
    readonly toEntry?: (body: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

/** A resource description: its definition plus the JSON Schema of its inputs, generated once from `properties`. */
export interface ResourceDescription extends ResourceDefinition {
    /** JSON Schema (draft-07) of the resource inputs; export it for configuration repositories. */
    readonly inputSchema: JSONSchema;
}

/**
 * Checks a definition for internal consistency and attaches its generated input schema.
 * @throws Error when the definition contradicts itself (a programming error, caught by the unit tests).
 */
export function defineResource(definition: ResourceDefinition): ResourceDescription {
    const declared = Object.keys(definition.properties).sort();
    const roles = [...definition.bodyProperties, ...definition.pathProperties].sort();
    if (JSON.stringify(declared) !== JSON.stringify(roles)) {
        throw new Error(`${definition.kind}: properties must be exactly bodyProperties + pathProperties`);
    }
    for (const path of [...definition.replaceOnChange, ...definition.required]) {
        if (!(path.split(".")[0] in definition.properties)) {
            throw new Error(`${definition.kind}: "${path}" is not an input property`);
        }
    }
    return Object.freeze({ ...definition, inputSchema: buildInputSchema(definition) });
}
