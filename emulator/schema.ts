/**
 * A small property-type language for the assignment properties beyond `target` (intent, settings, runSchedule,
 * …) and the validator that turns a request value into the stored value, with Graph's read shape: every declared
 * property present, absent ones filled with their declared default, else `false` (Boolean), `[]` (collections) or
 * `null`.
 *
 * Errors are 400s naming the JSON path of the property, the problem and what is expected, as OData's do.
 */
import { badRequest } from "./errors";
import { isGuid } from "./ids";

const NS = "microsoft.graph.";

/** One declared property. `required` applies when a whole entity or complex value is written. */
export type PropSpec = { readonly required?: boolean; readonly readOnly?: boolean } & (
  | { readonly type: "boolean" }
  | { readonly type: "string" }
  | { readonly type: "guid" }
  | { readonly type: "int32"; readonly min?: number; readonly max?: number }
  | { readonly type: "enum"; readonly enumType: string; readonly members: readonly string[]; readonly default?: string }
  | { readonly type: "stringArray" }
  | { readonly type: "timeOfDay" }
  | { readonly type: "date" }
  | { readonly type: "dateTimeOffset" }
  | { readonly type: "complex"; readonly typeName?: string; readonly properties: PropSpecs }
  | { readonly type: "polymorphic"; readonly baseType: string; readonly subtypes: Readonly<Record<string, PropSpecs>> }
);

export type PropSpecs = Readonly<Record<string, PropSpec>>;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** Annotations a client may send back from a previous GET; OData ignores them on input. */
export const IGNORED_ANNOTATIONS = new Set(["@odata.context", "@odata.etag", "@odata.id", "@odata.editLink"]);

export function unknownPropertyError(property: string, typeName: string): Error {
  return badRequest(
    `The property '${property}' does not exist on type '${NS}${typeName}'. Make sure to only use property names ` +
      `that are defined by the type or mark the type as open type.`,
  );
}

/** The short name of an `@odata.type` value ("#microsoft.graph.x" or "microsoft.graph.x"), or a 400. */
export function typeNameOf(value: unknown, path: string): string {
  if (typeof value !== "string") throw badRequest(`Invalid value for '${path}': a type name string was expected.`);
  const name = value.startsWith("#") ? value.slice(1) : value;
  if (!name.startsWith(NS)) {
    throw badRequest(`A type named '${name}' could not be resolved by the model (property '${path}'). When a model is available, each type name must resolve to a valid type.`);
  }
  return name.slice(NS.length);
}

/** The value Graph returns for a property the client left out. */
export function absentValue(spec: PropSpec): unknown {
  if (spec.type === "enum" && spec.default !== undefined) return spec.default;
  if (spec.type === "boolean") return false;
  if (spec.type === "stringArray") return [];
  return null;
}

/**
 * Validates `value` against `spec` and returns the stored (normalised) value.
 * @param path JSON path of the value, for messages (e.g. "settings.restartSettings.gracePeriodInMinutes").
 */
export function validateValue(spec: PropSpec, value: unknown, path: string): unknown {
  if (value === null) {
    if (spec.required) throw badRequest(`Property '${path}' is required and cannot be null.`);
    return spec.type === "stringArray" ? [] : null;
  }
  switch (spec.type) {
    case "boolean":
      if (typeof value !== "boolean") throw convertError(path, "Edm.Boolean", "true or false");
      return value;
    case "string":
      if (typeof value !== "string") throw convertError(path, "Edm.String", "a string");
      return value;
    case "guid":
      if (!isGuid(value)) throw badRequest(`Invalid value for property '${path}': it must be a GUID (8-4-4-4-12 hexadecimal digits).`);
      return value;
    case "int32": {
      if (typeof value !== "number" || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
        throw convertError(path, "Edm.Int32", "a whole number");
      }
      const min = spec.min ?? INT32_MIN;
      const max = spec.max ?? INT32_MAX;
      if (value < min || value > max) {
        throw badRequest(`Invalid value ${value} for property '${path}': valid values are ${min} to ${max}.`);
      }
      return value;
    }
    case "enum":
      if (typeof value !== "string" || !spec.members.includes(value)) {
        throw badRequest(`Invalid value for property '${path}' of enum type '${NS}${spec.enumType}': expected one of ${spec.members.join(", ")}.`);
      }
      return value;
    case "stringArray":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw convertError(path, "Collection(Edm.String)", "an array of strings");
      return [...value];
    case "timeOfDay":
      return timeOfDay(value, path);
    case "date":
      return dateOnly(value, path);
    case "dateTimeOffset":
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
        throw convertError(path, "Edm.DateTimeOffset", "an ISO 8601 timestamp with an offset, e.g. 2025-01-31T08:00:00Z");
      }
      return value;
    case "complex":
      return complexValue(spec.typeName, spec.properties, value, path);
    case "polymorphic": {
      const obj = objectAt(value, path);
      if (!("@odata.type" in obj)) {
        throw badRequest(`Property '${path}' has the abstract type '${NS}${spec.baseType}'; '@odata.type' must name one of ${Object.keys(spec.subtypes).map((s) => `'#${NS}${s}'`).join(", ")}.`);
      }
      const name = typeNameOf(obj["@odata.type"], `${path}.@odata.type`);
      const properties = spec.subtypes[name];
      if (!properties) {
        throw badRequest(`A resource of type '${NS}${name}' was found in property '${path}'; it must be one of the concrete types derived from '${NS}${spec.baseType}': ${Object.keys(spec.subtypes).join(", ")}.`);
      }
      return complexValue(name, properties, obj, path);
    }
  }
}

/** Validates a complex value; the result carries `@odata.type` (with '#') when the type name is known. */
function complexValue(typeName: string | undefined, properties: PropSpecs, value: unknown, path: string): Record<string, unknown> {
  const obj = objectAt(value, path);
  const out: Record<string, unknown> = typeName ? { "@odata.type": `#${NS}${typeName}` } : {};
  for (const key of Object.keys(obj)) {
    if (key === "@odata.type") {
      const name = typeNameOf(obj[key], `${path}.@odata.type`);
      if (typeName !== undefined && name !== typeName) {
        throw badRequest(`A resource of type '${NS}${name}' was found in property '${path}'; however, a resource of type '${NS}${typeName}' was expected.`);
      }
      continue;
    }
    if (!(key in properties)) throw unknownPropertyError(`${path}.${key}`, typeName ?? "complex value");
  }
  for (const [name, spec] of Object.entries(properties)) {
    out[name] = name in obj ? validateValue(spec, obj[name], `${path}.${name}`) : requiredOrAbsent(spec, `${path}.${name}`);
  }
  return out;
}

/** The value of an absent property on a full write: a 400 when required, else what Graph returns for it. */
export function requiredOrAbsent(spec: PropSpec, path: string): unknown {
  if (spec.required) throw badRequest(`Property '${path}' is required.`);
  return absentValue(spec);
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest(`Invalid value for property '${path}': a JSON object was expected.`);
  }
  return value as Record<string, unknown>;
}

function convertError(path: string, edmType: string, expected: string): Error {
  return badRequest(`Cannot convert the value of property '${path}' to the expected type '${edmType}': ${expected} was expected.`);
}

/**
 * Edm.TimeOfDay: accepts "HH:MM", "HH:MM:SS" and "HH:MM:SS.f" (up to 7 fractional digits) and returns Graph's
 * read form "HH:MM:SS.fffffff", so a client that wrote "01:00" reads "01:00:00.0000000".
 */
function timeOfDay(value: unknown, path: string): string {
  const m = typeof value === "string" ? /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(value) : null;
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
    throw convertError(path, "Edm.TimeOfDay", "a time of day HH:MM[:SS[.fffffff]] from 00:00 to 23:59:59");
  }
  return `${m[1]}:${m[2]}:${m[3] ?? "00"}.${(m[4] ?? "").padEnd(7, "0")}`;
}

/** Edm.Date: "YYYY-MM-DD", a real calendar date. */
function dateOnly(value: unknown, path: string): string {
  const m = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !date || date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) {
    throw convertError(path, "Edm.Date", "a calendar date YYYY-MM-DD");
  }
  return value as string;
}
