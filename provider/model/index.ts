/**
 * The pure model layer of the Microsoft Graph assignments provider: resource descriptions, input schemas and
 * validation, normalisation, diff, request bodies and URL paths. No HTTP and no Pulumi runtime calls.
 */
export * from "./description.js";
export { buildPath, describeIdProblem, InvalidIdError, PATH_PARAMETER_KINDS, ZERO_GUID, type IdKind } from "./ids.js";
export { descriptions, getDescription } from "./registry.js";
export { referenceError, referenceProblems } from "./reference.js";
export { validateInputs, type CheckFailure } from "./validate.js";
export { normalizeInputs, normalizeValue, valuesEqual, containsUnknown } from "./normalize.js";
export { diffInputs, diffLive, matchesDesired, type DiffResult, type PropertyDrift } from "./diff.js";
export { toGraphBody, fromGraphEntity, buildMinimalPatch, withDeclaredTypeNames } from "./body.js";
export { FILTER_ID, FILTER_TYPE, FILTER_TYPES, GRAPH_NAMESPACE, ODATA_TYPE } from "./schema.js";
