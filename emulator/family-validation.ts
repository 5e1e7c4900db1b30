/**
 * Validation of one assignment body (item POST, PATCH, or one entry of `assign`) against its family's entry in
 * emulator/families.ts: entity type, known properties, server-managed fields, target model and filter support,
 * and the family's own properties (intent, settings, runSchedule, …).
 */
import { settingsTypeForApp } from "./assignment-properties";
import { badRequest } from "./errors";
import type { Family } from "./families";
import { EMPTY_GUID } from "./ids";
import { IGNORED_ANNOTATIONS, requiredOrAbsent, typeNameOf, unknownPropertyError, validateValue } from "./schema";
import type { StoredPolicy } from "./store";
import { validateCloudPcTarget, validateIntuneTarget } from "./validation";

const NS = "microsoft.graph.";

/** Validated fields of an assignment body; absent fields were absent from the body. */
export interface FamilyAssignmentInput {
  /** Client-supplied id (only `assign` uses it, to keep ids stable). */
  id?: string;
  target?: Record<string, unknown>;
  /** The family's properties: all of them (defaults filled) for a full write, only those given for PATCH. */
  properties: Record<string, unknown>;
}

/**
 * @param mode "full" for item POST and `assign` entries (target and required properties needed, defaults filled);
 *   "patch" for PATCH (only what is given).
 */
export function validateFamilyAssignment(family: Family, policy: StoredPolicy, input: unknown, mode: "full" | "patch"): FamilyAssignmentInput {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw badRequest(`Invalid value for property 'body': a JSON object was expected.`);
  }
  const body = input as Record<string, unknown>;
  const serverFields = new Map(family.serverFields.map((f) => [f.name as string, f]));
  for (const key of Object.keys(body)) {
    if (IGNORED_ANNOTATIONS.has(key) || key === "@odata.type" || key === "id" || key === "target" || key in family.properties) continue;
    const field = serverFields.get(key);
    if (!field) throw unknownPropertyError(key, family.assignmentType);
    if (field.onWrite === "refuse") {
      throw badRequest(`The property '${key}' of type '${NS}${family.assignmentType}' is read-only and cannot be written; leave it out of the request.`);
    }
    checkServerFieldType(key, body[key]);
  }
  if ("@odata.type" in body) {
    const name = typeNameOf(body["@odata.type"], "@odata.type");
    if (name !== family.assignmentType) {
      throw badRequest(`A resource of type '${NS}${name}' was found in property '@odata.type'; however, a resource of type '${NS}${family.assignmentType}' or a derived type was expected.`);
    }
  }
  const out: FamilyAssignmentInput = { properties: {} };
  if ("id" in body) {
    if (typeof body.id !== "string") throw badRequest(`Cannot convert the value of property 'id' to the expected type 'Edm.String'.`);
    out.id = body.id;
  }
  if ("target" in body) out.target = familyTarget(family, policy, body.target);
  else if (mode === "full") throw badRequest(`Property 'target' is required.`);
  for (const [name, spec] of Object.entries(family.properties)) {
    if (name in body) out.properties[name] = validateValue(spec, body[name], name);
    else if (mode === "full") out.properties[name] = requiredOrAbsent(spec, name);
  }
  if (family.kind === "mobileApps") checkSettingsFitApp(policy, out.properties.settings);
  return out;
}

function checkServerFieldType(key: string, value: unknown): void {
  if (key === "source") {
    if (value !== null && value !== "direct" && value !== "policySets") {
      throw badRequest(`Invalid value for property 'source' of enum type '${NS}deviceAndAppManagementAssignmentSource': expected one of direct, policySets.`);
    }
    return;
  }
  if (key === "sourceId") {
    if (value !== null && typeof value !== "string") throw badRequest(`Cannot convert the value of property 'sourceId' to the expected type 'Edm.String'.`);
    return;
  }
  // Timestamps: server-set; OData accepts them on input (clients echo GET results) but ignores the value.
  if (typeof value !== "string") throw badRequest(`Cannot convert the value of property '${key}' to the expected type 'Edm.DateTimeOffset'.`);
}

/** The family's target model, with its filter rule. */
function familyTarget(family: Family, policy: StoredPolicy, input: unknown): Record<string, unknown> {
  // Windows 365 user settings have no provisioning type: the service plan stays null as for dedicated policies.
  if (family.target === "cloudPc") return validateCloudPcTarget(input, "dedicated");
  const target = validateIntuneTarget(input);
  const filtered = target.deviceAndAppManagementAssignmentFilterType !== "none"
    || (target.deviceAndAppManagementAssignmentFilterId !== null && target.deviceAndAppManagementAssignmentFilterId !== EMPTY_GUID);
  if (filtered && !filtersAllowed(family, policy)) {
    throw badRequest(
      `Assignment filters are not supported for ${family.filters === "exceptWebLinks" ? "web link app" : family.kind} assignments (property 'target.deviceAndAppManagementAssignmentFilterType'); ` +
        `leave deviceAndAppManagementAssignmentFilterId null and the filter type 'none'.`,
    );
  }
  return target;
}

function filtersAllowed(family: Family, policy: StoredPolicy): boolean {
  if (family.filters === "supported") return true;
  if (family.filters === "refused") return false;
  const policyType = String(policy.properties["@odata.type"] ?? "");
  if (family.filters === "exceptWebLinks") return !/^#?microsoft\.graph\.webApp$/i.test(policyType);
  return /platformRestriction/i.test(policyType);
}

/**
 * Judgement call (README): where a settings subtype is named after the app's type (win32LobApp →
 * win32LobAppAssignmentSettings), an app of that type takes only that subtype (or null).
 */
function checkSettingsFitApp(policy: StoredPolicy, settings: unknown): void {
  if (settings === null || settings === undefined) return;
  const appType = String(policy.properties["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "");
  const expected = settingsTypeForApp(appType);
  const given = String((settings as Record<string, unknown>)["@odata.type"]).replace(/^#?microsoft\.graph\./, "");
  if (expected !== undefined && given !== expected) {
    throw badRequest(`Property 'settings' of an app of type '${NS}${appType}' must be of type '#${NS}${expected}' (found '#${NS}${given}').`);
  }
}
