import { defineResource } from "../description.js";
import { managedAppPolicyDefinition } from "./managedAppPolicyFamily.js";

/**
 * Intune targetedManagedAppPolicyAssignment of a Windows app protection policy (deviceAppManagement/windowsManagedAppProtections; beta,
 * fact sheet section 11).
 * Inputs: `policyId` (GUID of the policy; changing it replaces) and `target` (updated in place through `assign`).
 * No item create is documented, so writes go through `assign` (body key `assignments`, answer 204); the docs
 * document windowsManagedAppProtections/{id}/assign. Item routes on its assignments are not documented
 * (❓, only in the SDK), so none are declared: every write goes through assign.
 */
export const windowsManagedAppProtectionAssignment = defineResource(
    managedAppPolicyDefinition({ kind: "WindowsManagedAppProtectionAssignment", collection: "windowsManagedAppProtections", what: "Windows app protection policy", assignUnder: "collection", itemUpdates: false }),
);
