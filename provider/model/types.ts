/**
 * The types of a resource description: what one assignment kind declares (routes, value specs, replace rules,
 * server-managed fields, write capabilities). Pure types; {@link defineResource} in ./description checks a definition
 * and derives the rest.
 */
import type { IdKind } from "./ids.js";

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
/**
 * An Intune object id that is not always a plain GUID (e.g. `{guid}_Windows10EnrollmentCompletionPageConfiguration`):
 * letters, digits, '_' and '-'; compared exactly.
 */
export interface IntuneIdSpec {
    readonly type: "intuneId";
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
/** true or false. */
export interface BooleanSpec {
    readonly type: "boolean";
}
/**
 * A time of day (Edm.TimeOfDay): "HH:MM", "HH:MM:SS" or with a fraction. Canonical form "HH:MM:SS" (with the fraction
 * only when it is not zero), so Graph's "01:00:00.0000000" equals "01:00".
 */
export interface TimeOfDaySpec {
    readonly type: "timeOfDay";
}
/** A calendar date (Edm.Date): "YYYY-MM-DD". */
export interface DateSpec {
    readonly type: "date";
}
/** A point in time (Edm.DateTimeOffset), ISO 8601 with an offset; compared as the instant it names. */
export interface DateTimeSpec {
    readonly type: "dateTime";
}
/** A plain (not polymorphic) complex value: its own properties, compared and sent whole. */
export interface ObjectSpec {
    readonly type: "object";
    readonly properties: Readonly<Record<string, ValueSpec>>;
    readonly required: readonly string[];
}
/** A list of values, compared in order. */
export interface ArraySpec {
    readonly type: "array";
    readonly items: ValueSpec;
    readonly maxItems: number;
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
    /** Why a "forbidden" filter is refused, for the error (default: the variant cannot carry one). */
    readonly filterRefusal?: string;
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

/** What every value spec may add. */
export interface ValueAnnotations {
    /**
     * Graph's default: the value Graph holds when the property is not sent. An input equal to it is the same as no
     * input (canonical form drops it), so leaving a property out never diffs against Graph's default. Inside a
     * complex or object value the default is also written out whenever the value is sent, so Graph holds it whatever it
     * does with properties a write leaves out (documented nulls "treated as TRUE", or an unset boolean read as false).
     */
    readonly default?: unknown;
    /** One line for the reference docs. */
    readonly doc?: string;
}

/** How a property is validated, normalised and compared. */
export type ValueSpec = (
    | GuidSpec
    | IntuneIdSpec
    | CollectionIdSpec
    | StringSpec
    | EnumSpec
    | IntegerSpec
    | BooleanSpec
    | TimeOfDaySpec
    | DateSpec
    | DateTimeSpec
    | ObjectSpec
    | ArraySpec
    | ComplexSpec
) &
    ValueAnnotations;

/** Which item-level writes on the assignments collection Graph documents for a kind and does not refuse. */
export interface ItemRoutes {
    /** POST on the assignments collection. */
    readonly create: boolean;
    /** PATCH on an assignment. */
    readonly update: boolean;
    /** DELETE on an assignment. */
    readonly delete: boolean;
}

/**
 * A combination of inputs Graph documents as not fitting together: while the input `when.property` holds one of
 * `when.values` (always, without `when`), the inputs at the dotted paths `forbid` must be absent (e.g. an app's
 * `settings.isRemovable`, which applies to required installs only). `check` refuses such inputs naming the path and `reason`; whatever Graph holds
 * at those paths then is never compared and never written (it does not apply).
 */
export interface PropertyRule {
    readonly when?: { readonly property: string; readonly values: readonly string[] };
    readonly forbid: readonly string[];
    /** Why, ending the message "<path> must be omitted: <reason>". */
    readonly reason: string;
}

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
    /** The item routes Graph serves for this kind; with `assignList`, they decide the default write strategy. */
    readonly itemRoutes: ItemRoutes;
    /**
     * How the policy's list is read when `assignList` is absent (default: the assignments collection). A kind with
     * `assignList` reads the list its `assign` writes.
     */
    readonly readList?: Pick<AssignListSpec, "listPath" | "listShape">;
    /** Combinations of inputs that do not fit together (see {@link PropertyRule}). */
    readonly rules?: readonly PropertyRule[];
    /** One paragraph for the reference docs: what the kind assigns. */
    readonly summary?: string;
    /**
     * A typical assignment of this kind, for the reference docs and the families' end-to-end test: body inputs (no
     * path properties; group ids are placeholders), and a change of them that updates in place.
     */
    readonly example?: { readonly inputs: Readonly<Record<string, unknown>>; readonly update: Readonly<Record<string, unknown>> };
}

/** Reading and re-posting a policy's whole assignment list (see {@link ResourceDefinition.assignList}). */
export interface AssignListSpec {
    /** GET path of the list: a collection (`{value:[...]}`) or a parent read with `?$expand=assignments`. */
    readonly listPath: string;
    readonly listShape: "collection" | "expand";
    /** The `assign` body's list parameter, e.g. "assignments" or "mobileAppAssignments" (default "assignments"). */
    readonly bodyKey?: string;
    /** What `assign` answers: the new list (200) or nothing (204). Documented per family; the engine verifies either way. */
    readonly answer: "list" | "noContent";
    /**
     * Properties of a live entry that Graph marks read-only and that are never posted back. Every other property of
     * every entry (of entries this stack does not manage too) is posted back exactly as read, but for a declared
     * variant's `@odata.type`, which is spelled as declared; `@odata.*` annotations other than `@odata.type` never are.
     */
    readonly readOnly: readonly string[];
    /** A live list entry in this type's entity shape (default: as it is). */
    readonly toEntity?: (entry: Readonly<Record<string, unknown>>) => Record<string, unknown>;
    /** This type's request body (from `toGraphBody`) as an `assign` entry (default: as it is). */
    readonly toEntry?: (body: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

/** How writes reach Graph by default: `auto` (item routes, `assign` once refused) or `assign` only. */
export type DefaultWriteStrategy = "auto" | "assign" | "item";

/** A resource description: its definition plus what is derived from it once. */
export interface ResourceDescription extends ResourceDefinition {
    /** JSON Schema (draft-07) of the resource inputs; export it for configuration repositories. */
    readonly inputSchema: JSONSchema;
    /**
     * `auto` where Graph documents item create and delete and an `assign` fallback exists, `item` where there is no
     * `assign`, `assign` where item routes are not documented or reported refused.
     */
    readonly defaultWriteStrategy: DefaultWriteStrategy;
    /** The id kind of every `{placeholder}` in this kind's paths (path properties by their spec; `id` an assignment id). */
    readonly pathKinds: Readonly<Record<string, IdKind>>;
}

