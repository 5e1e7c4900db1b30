/**
 * Comparison of inputs with inputs (diff) and of inputs with live Graph entities (refresh, drift, adoption).
 * Everything is compared in canonical form ({@link normalizeInputs}), so normalisation alone never produces a diff.
 */
import { fromGraphEntity } from "./body.js";
import type { ResourceDescription } from "./types.js";
import { UNKNOWN_VALUE } from "./ids.js";
import { containsUnknown, isObject, type JsonObject, normalizeInputs, valuesEqual } from "./normalize.js";

/** Result of {@link diffInputs}; Pulumi's host only uses `changes`, `replaces` and `deleteBeforeReplace`. */
export interface DiffResult {
    /** True when any input property changed (or is unknown). */
    readonly changes: boolean;
    /** Top-level input properties whose change forces a replacement. */
    readonly replaces: readonly string[];
    /** Top-level input properties that changed (or are unknown), in description order. */
    readonly changedProperties: readonly string[];
    /** Input properties that do not change. */
    readonly stables: readonly string[];
    /** True when the replacement must delete the old assignment first (see {@link diffInputs}). */
    readonly deleteBeforeReplace: boolean;
}

/** One property where the live entity differs from the desired inputs (canonical values). */
export interface PropertyDrift {
    readonly property: string;
    readonly desired: unknown;
    readonly live: unknown;
}

function valueAt(inputs: JsonObject, path: string): unknown {
    let value: unknown = inputs;
    for (const key of path.split(".")) {
        if (value === UNKNOWN_VALUE) return UNKNOWN_VALUE;
        value = isObject(value) ? value[key] : undefined;
    }
    return value;
}

function bodyOf(description: ResourceDescription, inputs: JsonObject): JsonObject {
    return Object.fromEntries(description.bodyProperties.map((key) => [key, inputs[key]]));
}

/**
 * Whether the old and new inputs could occupy the same slot: same path properties (the same policy) and the same
 * matchKey (same group, collection or all-* target). Unknown values could be equal, so they count as the same.
 */
function mayShareSlot(description: ResourceDescription, olds: JsonObject, news: JsonObject): boolean {
    for (const key of description.pathProperties) {
        if (!containsUnknown(news[key]) && !valuesEqual(olds[key], news[key])) return false;
    }
    const newBody = bodyOf(description, news);
    if (containsUnknown(newBody)) return true;
    return description.matchKey(bodyOf(description, olds)) === description.matchKey(newBody);
}

/**
 * Diff of old inputs (or outputs: server-managed and unknown extra fields are ignored) against new inputs.
 *
 * A property is changed when its canonical values differ or the new value contains the unknown placeholder.
 * A change to a `replaceOnChange` path lists its top-level property in `replaces`; every other change is an update.
 *
 * deleteBeforeReplace: Graph keeps one assignment per target slot of a policy and refuses a second one, so
 * create-before-delete fails when the replacement occupies the old slot. It is true only when a replacement is
 * needed and the new assignment may share the old one's slot (same policy and same matchKey, unknowns counting as
 * possibly equal); otherwise the default create-before-delete keeps the target assigned throughout.
 */
export function diffInputs(
    description: ResourceDescription,
    olds: Readonly<JsonObject>,
    news: Readonly<JsonObject>,
): DiffResult {
    const o = normalizeInputs(description, olds);
    const n = normalizeInputs(description, news);
    const keys = Object.keys(description.properties);
    const changedProperties = keys.filter((key) => containsUnknown(n[key]) || !valuesEqual(o[key], n[key]));
    const replaces = keys.filter((key) =>
        description.replaceOnChange.some((path) => {
            if (path.split(".")[0] !== key || !changedProperties.includes(key)) return false;
            const next = valueAt(n, path);
            return containsUnknown(next) || !valuesEqual(valueAt(o, path), next);
        }),
    );
    return {
        changes: changedProperties.length > 0,
        replaces,
        changedProperties,
        stables: keys.filter((key) => !changedProperties.includes(key)),
        deleteBeforeReplace: replaces.length > 0 && mayShareSlot(description, o, n),
    };
}

/**
 * Body properties where a live Graph entity differs from the desired inputs, compared in canonical form (Graph's
 * nulls, read-only fields and `@odata.type` spelling make no difference). Path properties are not compared: the
 * entity was read under the desired path.
 */
export function diffLive(
    description: ResourceDescription,
    desiredInputs: Readonly<JsonObject>,
    liveEntity: Readonly<JsonObject>,
): PropertyDrift[] {
    const desired = normalizeInputs(description, desiredInputs);
    const live = fromGraphEntity(description, liveEntity, {});
    return description.bodyProperties
        .filter((key) => !valuesEqual(desired[key], live[key]))
        .map((key) => ({ property: key, desired: desired[key], live: live[key] }));
}

/**
 * Whether a live entity occupies the slot the desired inputs want (same matchKey): the entity to adopt, or the one a
 * POST with an unknown outcome created. It may still differ in updatable details (see {@link diffLive}).
 * False while the desired body contains unknown values.
 */
export function matchesDesired(
    description: ResourceDescription,
    desiredInputs: Readonly<JsonObject>,
    liveEntity: Readonly<JsonObject>,
): boolean {
    const desired = bodyOf(description, normalizeInputs(description, desiredInputs));
    if (containsUnknown(desired)) return false;
    const live = bodyOf(description, fromGraphEntity(description, liveEntity, {}));
    return description.matchKey(desired) === description.matchKey(live);
}
