/**
 * Request-body validation for the assignment types, following the CSDL fragments in shared/graph-docs/metadata.
 *
 * Graph (OData) rejects unknown properties, wrong JSON types, bad enum members and unresolvable `@odata.type`
 * values with 400; the messages here name the property, as OData's do, so a client can point at its input.
 * Values are never echoed when they might be sensitive; ids and type names are not.
 */
import { badRequest } from "./errors";
import { EMPTY_GUID, isGuid } from "./ids";
import { IGNORED_ANNOTATIONS, unknownPropertyError } from "./schema";

const NS = "microsoft.graph.";


/** Concrete subtypes of the abstract deviceAndAppManagementAssignmentTarget (beta CSDL). */
const INTUNE_TARGETS: Readonly<Record<string, { idProperty?: "groupId" | "collectionId" }>> = {
  groupAssignmentTarget: { idProperty: "groupId" },
  exclusionGroupAssignmentTarget: { idProperty: "groupId" },
  allDevicesAssignmentTarget: {},
  allLicensedUsersAssignmentTarget: {},
  configurationManagerCollectionAssignmentTarget: { idProperty: "collectionId" },
};

/** Members of the deviceAndAppManagementAssignmentFilterType enum. */
export const FILTER_TYPES: readonly string[] = ["none", "include", "exclude"];

const CLOUD_PC_TARGET = "cloudPcManagementGroupAssignmentTarget";

/** Other types Graph knows, so a target of the wrong family gets "wrong type" rather than "unknown type". */
const KNOWN_OTHER_TYPES = new Set([
  ...Object.keys(INTUNE_TARGETS), CLOUD_PC_TARGET, "deviceAndAppManagementAssignmentTarget",
  "cloudPcManagementAssignmentTarget", "groupPolicyConfigurationAssignment", "cloudPcProvisioningPolicyAssignment",
]);

/** Validated fields of an assignment body; absent fields were absent from the body. */
export interface AssignmentInput {
  /** Client-supplied id (only the `assign` action uses it). */
  id?: string;
  /** Normalized target, with `@odata.type` written with its leading '#'. */
  target?: Record<string, unknown>;
}

function requireObject(value: unknown, property: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest(`Invalid value for property '${property}': a JSON object was expected.`);
  }
  return value as Record<string, unknown>;
}


function stringOrNull(value: unknown, property: string): string | null {
  if (value === null || typeof value === "string") return value;
  throw badRequest(`Cannot convert the value of property '${property}' to the expected type 'Edm.String'.`);
}

function guidProperty(value: unknown, property: string, nullable: boolean): string | null {
  const s = stringOrNull(value, property);
  if (s === null) {
    if (nullable) return null;
    throw badRequest(`Property '${property}' is required and cannot be null.`);
  }
  if (!isGuid(s)) throw badRequest(`Invalid value for property '${property}': it must be a GUID.`);
  return s;
}

/**
 * Resolves an `@odata.type` value ("#microsoft.graph.x" or "microsoft.graph.x") to the short type name.
 * @param property the JSON path of the annotation, for the message.
 */
export function resolveODataType(value: unknown, property: string): string {
  if (typeof value !== "string") {
    throw badRequest(`Invalid value for '${property}': a type name string was expected.`);
  }
  const name = value.startsWith("#") ? value.slice(1) : value;
  if (!name.startsWith(NS)) {
    throw badRequest(
      `A type named '${name}' could not be resolved by the model (property '${property}'). When a model is ` +
        `available, each type name must resolve to a valid type.`,
    );
  }
  return name.slice(NS.length);
}

function checkEntityType(body: Record<string, unknown>, expected: string, caseInsensitive = false): void {
  if (!("@odata.type" in body)) return;
  const name = resolveODataType(body["@odata.type"], "@odata.type");
  const same = caseInsensitive ? name.toLowerCase() === expected.toLowerCase() : name === expected;
  if (!same) throw wrongType(name, expected, "@odata.type");
}

function wrongType(found: string, expected: string, property: string): Error {
  if (!KNOWN_OTHER_TYPES.has(found)) {
    return badRequest(
      `A type named '${NS}${found}' could not be resolved by the model (property '${property}'). When a model is ` +
        `available, each type name must resolve to a valid type.`,
    );
  }
  return badRequest(
    `A resource of type '${NS}${found}' was found in property '${property}'; however, a resource of type ` +
      `'${NS}${expected}' or a derived type was expected.`,
  );
}

function checkReadOnlyEntityFields(body: Record<string, unknown>, out: AssignmentInput): void {
  if ("id" in body) {
    if (typeof body.id !== "string") throw badRequest(`Cannot convert the value of property 'id' to the expected type 'Edm.String'.`);
    out.id = body.id;
  }
}

/** Validates and normalizes a deviceAndAppManagementAssignmentTarget. */
export function validateIntuneTarget(input: unknown): Record<string, unknown> {
  const target = requireObject(input, "target");
  if (!("@odata.type" in target)) {
    throw badRequest(
      `Property 'target' has the abstract type '${NS}deviceAndAppManagementAssignmentTarget'; '@odata.type' must ` +
        `name a concrete type such as '#${NS}groupAssignmentTarget'.`,
    );
  }
  const typeName = resolveODataType(target["@odata.type"], "target.@odata.type");
  const spec = INTUNE_TARGETS[typeName];
  if (!spec) throw wrongType(typeName, "deviceAndAppManagementAssignmentTarget", "target.@odata.type");
  const allowed = new Set(["@odata.type", "deviceAndAppManagementAssignmentFilterId", "deviceAndAppManagementAssignmentFilterType"]);
  if (spec.idProperty) allowed.add(spec.idProperty);
  for (const key of Object.keys(target)) {
    if (!allowed.has(key)) throw unknownPropertyError(key, typeName);
  }
  const filterId = "deviceAndAppManagementAssignmentFilterId" in target
    ? guidProperty(target.deviceAndAppManagementAssignmentFilterId, "target.deviceAndAppManagementAssignmentFilterId", true)
    : null;
  let filterType = "none";
  if ("deviceAndAppManagementAssignmentFilterType" in target) {
    const value = target.deviceAndAppManagementAssignmentFilterType;
    if (typeof value !== "string" || !FILTER_TYPES.includes(value)) {
      throw badRequest(
        `Invalid value for property 'target.deviceAndAppManagementAssignmentFilterType' of enum type ` +
          `'${NS}deviceAndAppManagementAssignmentFilterType': expected one of ${FILTER_TYPES.join(", ")}.`,
      );
    }
    filterType = value;
  }
  const hasFilter = filterId !== null && filterId !== EMPTY_GUID;
  if (filterType !== "none" && !hasFilter) {
    throw badRequest(`Property 'target.deviceAndAppManagementAssignmentFilterId' is required when the filter type is '${filterType}'.`);
  }
  if (typeName === "exclusionGroupAssignmentTarget" && filterType !== "none") {
    // Intune does not evaluate filters on excluded groups and refuses the combination.
    throw badRequest(`Assignment filters are not supported on exclusion group targets (property 'target.deviceAndAppManagementAssignmentFilterType').`);
  }
  const normalized: Record<string, unknown> = {
    "@odata.type": `#${NS}${typeName}`,
    deviceAndAppManagementAssignmentFilterId: filterId,
    deviceAndAppManagementAssignmentFilterType: filterType,
  };
  if (spec.idProperty === "groupId") {
    normalized.groupId = guidProperty(target.groupId ?? null, "target.groupId", false);
  } else if (spec.idProperty === "collectionId") {
    const collectionId = stringOrNull(target.collectionId ?? null, "target.collectionId");
    if (!collectionId) throw badRequest(`Property 'target.collectionId' is required.`);
    normalized.collectionId = collectionId;
  }
  return normalized;
}

/**
 * The identity of a target for duplicate detection: type plus group or collection id. Include and exclude of the
 * same group are different targets (Intune lets exclusion win), two includes of the same group are not.
 */
export function targetKey(target: Record<string, unknown>): string {
  const id = (target.groupId ?? target.collectionId ?? "") as string;
  return `${String(target["@odata.type"])}|${id.toLowerCase()}`;
}

/** True for the Windows 365 Frontline (shared) provisioning types, which need a service plan per assignment. */
export function isFrontline(provisioningType: unknown): boolean {
  return typeof provisioningType === "string" && provisioningType !== "dedicated";
}

/**
 * Validates a cloudPcProvisioningPolicyAssignment body (item POST/PATCH or one element of `assign`).
 * @param provisioningType the policy's provisioningType; Frontline policies need servicePlanId.
 */
export function validateCloudPcAssignment(input: unknown, requireTarget: boolean, provisioningType: unknown): AssignmentInput {
  const body = requireObject(input, "body");
  const out: AssignmentInput = {};
  for (const key of Object.keys(body)) {
    if (IGNORED_ANNOTATIONS.has(key) || key === "@odata.type" || key === "id" || key === "target") continue;
    throw unknownPropertyError(key, "cloudPcProvisioningPolicyAssignment");
  }
  checkEntityType(body, "cloudPcProvisioningPolicyAssignment");
  checkReadOnlyEntityFields(body, out);
  if ("target" in body) out.target = validateCloudPcTarget(body.target, provisioningType);
  else if (requireTarget) throw badRequest(`Property 'target' is required.`);
  return out;
}

/** Validates and normalizes a cloudPcManagementAssignmentTarget. */
export function validateCloudPcTarget(input: unknown, provisioningType: unknown): Record<string, unknown> {
  const target = requireObject(input, "target");
  if (!("@odata.type" in target)) {
    throw badRequest(
      `Property 'target' has the abstract type '${NS}cloudPcManagementAssignmentTarget'; '@odata.type' must be ` +
        `'#${NS}${CLOUD_PC_TARGET}'.`,
    );
  }
  const typeName = resolveODataType(target["@odata.type"], "target.@odata.type");
  if (typeName !== CLOUD_PC_TARGET) throw wrongType(typeName, "cloudPcManagementAssignmentTarget", "target.@odata.type");
  const allowed = new Set(["@odata.type", "groupId", "servicePlanId", "allotmentDisplayName", "allotmentLicensesCount"]);
  for (const key of Object.keys(target)) {
    if (!allowed.has(key)) throw unknownPropertyError(key, typeName);
  }
  const groupId = guidProperty(target.groupId ?? null, "target.groupId", false);
  const servicePlanId = guidProperty(target.servicePlanId ?? null, "target.servicePlanId", true);
  const allotmentDisplayName = stringOrNull(target.allotmentDisplayName ?? null, "target.allotmentDisplayName");
  const count = target.allotmentLicensesCount ?? null;
  if (count !== null && (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > 2_147_483_647)) {
    throw badRequest(`Cannot convert the value of property 'target.allotmentLicensesCount' to the expected type 'Edm.Int32'.`);
  }
  if (isFrontline(provisioningType) && servicePlanId === null) {
    throw badRequest(`Property 'target.servicePlanId' is required for a policy whose provisioningType is '${String(provisioningType)}'.`);
  }
  if (!isFrontline(provisioningType) && servicePlanId !== null) {
    throw badRequest(`Property 'target.servicePlanId' must be null for a policy whose provisioningType is 'dedicated'.`);
  }
  return { "@odata.type": `#${NS}${CLOUD_PC_TARGET}`, groupId, servicePlanId, allotmentDisplayName, allotmentLicensesCount: count };
}

/** Validates a legacy ProvisionPolicyAssignmentItem body; returns its groupId when present. */
export function validateLegacyItem(input: unknown, requireGroup: boolean): { groupId?: string } {
  const body = requireObject(input, "body");
  for (const key of Object.keys(body)) {
    if (IGNORED_ANNOTATIONS.has(key) || key === "@odata.type" || key === "id" || key === "groupId") continue;
    throw unknownPropertyError(key, "provisionPolicyAssignmentItem");
  }
  // The draft page spells the type "ProvisionPolicyAssignmentItem"; accept either capitalisation.
  checkEntityType(body, "provisionPolicyAssignmentItem", true);
  if ("id" in body && typeof body.id !== "string") throw badRequest(`Cannot convert the value of property 'id' to the expected type 'Edm.String'.`);
  if ("groupId" in body) return { groupId: guidProperty(body.groupId, "groupId", false) ?? undefined };
  if (requireGroup) throw badRequest(`Property 'groupId' is required.`);
  return {};
}
