/**
 * Generates the JSON Schema of a resource's inputs from its {@link ValueSpec}s.
 *
 * Polymorphic values use `if`/`then` per variant instead of `oneOf`, so ajv reports the real problem of the chosen
 * variant instead of one failure per branch. Schemas carry three annotation keywords read by the error translator:
 * `x-reason` (what the value must be), `x-missing` (why a required property is needed), `x-id` (an {@link IdKind}:
 * the reason comes from `describeIdProblem`), and `x-variant` (the variant a property list belongs to).
 */
import type { ComplexSpec, JSONSchema, ObjectSpec, PropertyRule, ResourceDefinition, ValueSpec, VariantSpec } from "./types.js";
import { ASSIGNMENT_ID_PATTERN, COLLECTION_ID_PATTERN, GUID_PATTERN } from "./ids.js";

/** "HH:MM", "HH:MM:SS" or "HH:MM:SS.f…" (Edm.TimeOfDay; Graph answers with seven fraction digits). */
export const TIME_OF_DAY_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,7})?)?$";
/** "YYYY-MM-DD" (Edm.Date). */
export const DATE_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/** The ajv format (registered by ./validate) that a date names a real day: the pattern cannot know month lengths. */
export const CALENDAR_DATE_FORMAT = "calendar-date";
/** ISO 8601 date and time with a "Z" or ±hh:mm offset (Edm.DateTimeOffset). */
export const DATE_TIME_PATTERN =
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,7})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";

/** Namespace of every Graph type name in `@odata.type`. */
export const GRAPH_NAMESPACE = "microsoft.graph";
/** Intune's assignment filter id property (deviceAndAppManagementAssignmentTarget). */
export const FILTER_ID = "deviceAndAppManagementAssignmentFilterId";
/** Intune's assignment filter type property: none | include | exclude. */
export const FILTER_TYPE = "deviceAndAppManagementAssignmentFilterType";
/** Values of deviceAndAppManagementAssignmentFilterType (CSDL enum). */
export const FILTER_TYPES = ["none", "include", "exclude"] as const;
/** The `@odata.type` annotation. */
export const ODATA_TYPE = "@odata.type";

/** Annotation keywords used by the generated schemas (registered with ajv as annotation-only). */
export const ANNOTATION_KEYWORDS = ["x-reason", "x-missing", "x-id", "x-variant"] as const;

/** Both accepted spellings of a variant's `@odata.type`: with and without the leading '#'. */
export function odataTypeSpellings(variant: string): [string, string] {
    return [`#${GRAPH_NAMESPACE}.${variant}`, `${GRAPH_NAMESPACE}.${variant}`];
}

/** The properties of a variant including the filter pair when it has one. */
export function variantProperties(variant: VariantSpec): Readonly<Record<string, ValueSpec>> {
    if (variant.filter === undefined) return variant.properties;
    return { ...variant.properties, [FILTER_ID]: { type: "guid" }, [FILTER_TYPE]: { type: "enum", values: FILTER_TYPES } };
}

const FILTER_IS_ACTIVE = { type: "string", enum: ["include", "exclude"] };
/** Matches the all-zero GUID (ZERO_GUID), which Intune uses for "no filter". */
const ZERO_GUID_PATTERN = "^0{8}-0{4}-0{4}-0{4}-0{12}$";
const NOT_ZERO_GUID = { not: { type: "string", pattern: ZERO_GUID_PATTERN } };

function filterRules(variantName: string, variant: VariantSpec): JSONSchema[] {
    if (variant.filter === "forbidden") {
        const why = variant.filterRefusal ?? `${variantName} cannot carry a filter`;
        return [
            {
                properties: {
                    [FILTER_TYPE]: { const: "none", "x-reason": `must be none: ${why}` },
                    [FILTER_ID]: {
                        type: "string",
                        pattern: ZERO_GUID_PATTERN,
                        "x-reason": `must be omitted: ${why}`,
                    },
                },
            },
        ];
    }
    return [
        {
            if: { required: [FILTER_TYPE], properties: { [FILTER_TYPE]: FILTER_IS_ACTIVE } },
            then: {
                required: [FILTER_ID],
                "x-missing": `is required when ${FILTER_TYPE} is include or exclude`,
                properties: {
                    [FILTER_ID]: {
                        ...NOT_ZERO_GUID,
                        "x-reason": `must be a filter id, not the all-zero GUID, when ${FILTER_TYPE} is include or exclude`,
                    },
                },
            },
        },
        {
            if: { required: [FILTER_ID], properties: { [FILTER_ID]: NOT_ZERO_GUID } },
            then: {
                required: [FILTER_TYPE],
                "x-missing": `is required (include or exclude) when ${FILTER_ID} is set`,
                properties: {
                    [FILTER_TYPE]: { ...FILTER_IS_ACTIVE, "x-reason": `must be include or exclude when ${FILTER_ID} is set` },
                },
            },
        },
    ];
}

/**
 * @param shared property names checked once for every variant (same spec wherever declared); the variant checks its
 *   other properties itself, so two variants may give one name different specs (e.g. two enums of notifications).
 */
function variantSchema(name: string, variant: VariantSpec, shared: ReadonlySet<string>): JSONSchema {
    const allowed: Record<string, unknown> = { [ODATA_TYPE]: true };
    for (const [key, value] of Object.entries(variantProperties(variant))) allowed[key] = shared.has(key) ? true : valueSchema(value);
    const schema: Record<string, unknown> = {
        "x-variant": name,
        required: [...variant.required],
        properties: allowed,
        additionalProperties: false,
    };
    if (variant.dependentRequired !== undefined) {
        schema.dependencies = Object.fromEntries(
            Object.entries(variant.dependentRequired).map(([key, deps]) => [key, [...deps]]),
        );
    }
    if (variant.filter !== undefined) schema.allOf = filterRules(name, variant);
    return schema;
}

function complexSchema(spec: ComplexSpec): JSONSchema {
    const names = Object.keys(spec.variants);
    const properties: Record<string, JSONSchema> = {
        [ODATA_TYPE]: {
            type: "string",
            enum: names.flatMap(odataTypeSpellings),
            "x-reason": `must be one of: ${names.join(", ")} (as "#${GRAPH_NAMESPACE}.<name>", '#' optional)`,
        },
    };
    // A property with one spec across the variants is checked at the value's level (its own schema explains best);
    // one whose spec differs between variants is checked by each variant.
    const specs = new Map<string, string>();
    const differing = new Set<string>();
    for (const variant of Object.values(spec.variants)) {
        for (const [key, value] of Object.entries(variantProperties(variant))) {
            const text = JSON.stringify(valueSchema(value));
            if (specs.has(key) && specs.get(key) !== text) differing.add(key);
            if (!specs.has(key)) {
                specs.set(key, text);
                properties[key] = valueSchema(value);
            }
        }
    }
    for (const key of differing) delete properties[key];
    const shared = new Set([...specs.keys()].filter((key) => !differing.has(key)));
    return {
        type: "object",
        "x-reason": `must be an object with an "${ODATA_TYPE}"`,
        required: [ODATA_TYPE],
        properties,
        allOf: names.map((name) => ({
            if: { required: [ODATA_TYPE], properties: { [ODATA_TYPE]: { enum: odataTypeSpellings(name) } } },
            then: variantSchema(name, spec.variants[name]!, shared),
        })),
    };
}

function objectSchema(spec: ObjectSpec): JSONSchema {
    return {
        type: "object",
        "x-reason": "must be an object",
        required: [...spec.required],
        properties: Object.fromEntries(Object.entries(spec.properties).map(([key, value]) => [key, valueSchema(value)])),
        additionalProperties: false,
    };
}

/** The JSON Schema of one value (with Graph's default as the `default` annotation). */
export function valueSchema(spec: ValueSpec): JSONSchema {
    const schema = bareValueSchema(spec);
    return spec.default === undefined ? schema : { ...schema, default: spec.default };
}

function bareValueSchema(spec: ValueSpec): JSONSchema {
    switch (spec.type) {
        case "guid":
            return { type: "string", pattern: GUID_PATTERN, "x-id": "guid" };
        case "intuneId":
            return { type: "string", pattern: ASSIGNMENT_ID_PATTERN, maxLength: 128, "x-id": "intuneId" };
        case "collectionId":
            return { type: "string", pattern: COLLECTION_ID_PATTERN, "x-id": "collectionId" };
        case "boolean":
            return { type: "boolean", "x-reason": "must be true or false" };
        case "timeOfDay":
            return { type: "string", pattern: TIME_OF_DAY_PATTERN, "x-reason": 'must be a time of day like "01:00" or "13:30:00"' };
        case "date":
            return { type: "string", pattern: DATE_PATTERN, format: CALENDAR_DATE_FORMAT, "x-reason": 'must be a day of the calendar written like "2026-12-31"' };
        case "dateTime":
            return {
                type: "string",
                pattern: DATE_TIME_PATTERN,
                "x-reason": 'must be a date and time with an offset, like "2026-12-31T18:00:00Z"',
            };
        case "object":
            return objectSchema(spec);
        case "array":
            return {
                type: "array",
                maxItems: spec.maxItems,
                items: valueSchema(spec.items),
                "x-reason": `must be a list of at most ${spec.maxItems} items`,
            };
        case "string":
            return {
                type: "string",
                minLength: 1,
                maxLength: spec.maxLength,
                // no control characters
                pattern: "^[^\\u0000-\\u001f\\u007f]*$",
                "x-reason": `must be a non-empty string of at most ${spec.maxLength} printable characters`,
            };
        case "enum":
            return { type: "string", enum: [...spec.values], "x-reason": `must be one of: ${spec.values.join(", ")}` };
        case "integer":
            return {
                type: "integer",
                minimum: spec.minimum,
                maximum: spec.maximum,
                "x-reason": `must be an integer from ${spec.minimum} to ${spec.maximum}`,
            };
        case "complex":
            return complexSchema(spec);
    }
}

/** `{ properties: { a: { properties: { b: leaf } } } }` for the path "a.b". */
function atPath(path: string, leaf: JSONSchema): JSONSchema {
    return path
        .split(".")
        .reverse()
        .reduce<JSONSchema>((inner, key) => ({ properties: { [key]: inner } }), leaf);
}

/** One rule as `if` the condition holds `then` each forbidden path is absent (`not: {}` fails on any value). */
function ruleSchema(rule: PropertyRule): JSONSchema {
    const forbidden = { allOf: rule.forbid.map((path) => atPath(path, { not: {}, "x-reason": `must be omitted: ${rule.reason}` })) };
    if (rule.when === undefined) return forbidden;
    return {
        if: { required: [rule.when.property], properties: { [rule.when.property]: { enum: [...rule.when.values] } } },
        then: forbidden,
    };
}

/** The JSON Schema (draft-07) of a resource's inputs. Unknown properties are rejected. */
export function buildInputSchema(definition: ResourceDefinition): JSONSchema {
    const rules = (definition.rules ?? []).map(ruleSchema);
    return {
        ...(rules.length > 0 ? { allOf: rules } : {}),
        $schema: "http://json-schema.org/draft-07/schema#",
        title: definition.kind,
        type: "object",
        required: [...definition.required],
        properties: Object.fromEntries(
            Object.entries(definition.properties).map(([key, spec]) => [key, valueSchema(spec)]),
        ),
        additionalProperties: false,
    };
}
