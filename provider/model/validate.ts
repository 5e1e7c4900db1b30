/**
 * Input validation (`check`) against a description's JSON Schema, with ajv errors folded into one short message per
 * real problem. Messages name the property path and what is expected; they never contain input values.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { ResourceDescription } from "./types.js";
import { describeIdProblem, type IdKind, UNKNOWN_VALUE } from "./ids.js";
import { containsUnknown, isObject, type JsonObject } from "./normalize.js";
import { ANNOTATION_KEYWORDS, CALENDAR_DATE_FORMAT } from "./schema.js";

/** One validation failure, in the shape Pulumi's dynamic `check` returns. */
export interface CheckFailure {
    /** Dotted path of the offending property, e.g. "target.groupId" ("" for the inputs themselves). */
    readonly property: string;
    /** Short message naming the property, the problem and what is expected. */
    readonly reason: string;
}

let ajv: Ajv | undefined;

/** A "YYYY-MM-DD" that names a day of the calendar (the pattern alone lets 2026-02-30 through). */
function isCalendarDate(value: string): boolean {
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}
const validators = new WeakMap<ResourceDescription, ValidateFunction>();

function getAjv(): Ajv {
    if (ajv === undefined) {
        ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false, strictRequired: false });
        for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: "string" });
        ajv.addFormat(CALENDAR_DATE_FORMAT, isCalendarDate);
    }
    return ajv;
}

/** The compiled validator of a description, compiled on first use and cached. */
function validatorFor(description: ResourceDescription): ValidateFunction {
    let validate = validators.get(description);
    if (validate === undefined) {
        validate = getAjv().compile(description.inputSchema);
        validators.set(description, validate);
    }
    return validate;
}

/**
 * Copy of `value` without unknown placeholders (and without Pulumi's reserved `__` properties at top level);
 * the JSON pointers of removed properties go to `unknowns`.
 */
function withoutUnknowns(value: JsonObject, pointer: string, unknowns: Set<string>, top: boolean): JsonObject {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
        if (top && key.startsWith("__")) continue;
        const itemPointer = `${pointer}/${escapePointer(key)}`;
        // A list holding an unknown is checked once it is known (its items cannot be told apart before).
        if (item === UNKNOWN_VALUE || (Array.isArray(item) && containsUnknown(item))) unknowns.add(itemPointer);
        else out[key] = isObject(item) ? withoutUnknowns(item, itemPointer, unknowns, false) : item;
    }
    return out;
}

function escapePointer(key: string): string {
    return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function pointerToPath(pointer: string): string {
    return pointer
        .split("/")
        .slice(1)
        .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
        .join(".");
}

function join(path: string, key: string): string {
    return path === "" ? key : `${path}.${key}`;
}

/** A property name fit for a message: printable ASCII only, capped. */
function safeName(name: string): string {
    const printable = name.replace(/[^\u0020-\u007e]/g, "?");
    return JSON.stringify(printable.length > 64 ? `${printable.slice(0, 64)}...` : printable);
}

function annotation(error: ErrorObject, keyword: string): string | undefined {
    const value = (error.parentSchema as Record<string, unknown> | undefined)?.[keyword];
    return typeof value === "string" ? value : undefined;
}

function defaultReason(error: ErrorObject): string {
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
        case "type":
            return `must be ${String(params.type)}`;
        case "enum":
            return `must be one of: ${(params.allowedValues as unknown[]).join(", ")}`;
        default:
            return error.message ?? "is invalid";
    }
}

/** Failure for one ajv error, or undefined when the error is noise (an `if` wrapper, an unknown value). */
function toFailure(error: ErrorObject, unknowns: ReadonlySet<string>): CheckFailure | undefined {
    const at = pointerToPath(error.instancePath);
    const params = error.params as Record<string, unknown>;
    const variant = annotation(error, "x-variant");
    switch (error.keyword) {
        case "if":
            return undefined;
        case "required":
        case "dependencies": {
            const missing = String(params.missingProperty);
            if (unknowns.has(`${error.instancePath}/${escapePointer(missing)}`)) return undefined;
            const property = join(at, missing);
            const why =
                error.keyword === "dependencies"
                    ? `is required when ${join(at, String(params.property))} is set`
                    : (annotation(error, "x-missing") ?? (variant ? `is required for ${variant}` : "is required"));
            return { property, reason: `${property} ${why}` };
        }
        case "additionalProperties": {
            const name = String(params.additionalProperty);
            const where = at === "" ? "inputs" : at;
            const notFor = variant ? ` (not allowed for ${variant})` : "";
            return { property: join(at, name), reason: `unexpected property ${safeName(name)} in ${where}${notFor}` };
        }
        default: {
            const idKind = annotation(error, "x-id") as IdKind | undefined;
            const why =
                (idKind && describeIdProblem(error.data, idKind)) ?? annotation(error, "x-reason") ?? defaultReason(error);
            return { property: at, reason: `${at === "" ? "inputs" : at} ${why}` };
        }
    }
}

/**
 * Validates resource inputs against the description's schema (compiled once per description, lazily).
 *
 * Pulumi's unknown placeholder passes anywhere in the tree (a required property that is unknown counts as present).
 * Pulumi's reserved top-level `__` properties (e.g. `__provider`) are ignored. Returns one failure per offending
 * property (a parent's failure hides its children's); an empty array means valid.
 */
export function validateInputs(description: ResourceDescription, inputs: unknown): CheckFailure[] {
    if (!isObject(inputs)) return [{ property: "", reason: "inputs must be an object" }];
    const unknowns = new Set<string>();
    const data = withoutUnknowns(inputs, "", unknowns, true);
    const validate = validatorFor(description);
    if (validate(data)) return [];
    // A value's own schema explains best what it must be; variant rules (inside `then`) come second.
    const inRule = (error: ErrorObject) => (error.schemaPath.includes("/then/") ? 1 : 0);
    const errors = [...(validate.errors ?? [])].sort((a, b) => inRule(a) - inRule(b));
    const failures: CheckFailure[] = [];
    for (const error of errors) {
        const failure = toFailure(error, unknowns);
        if (failure === undefined || failures.some((f) => f.property === failure.property)) continue;
        failures.push(failure);
    }
    // Fold: a failing parent reports once, for its whole subtree.
    return failures.filter(
        (failure) => !failures.some((other) => other !== failure && failure.property.startsWith(`${other.property}.`)),
    );
}
