import { defineResource } from "../description.js";
import { managedAppPolicyDefinition } from "./managedAppPolicyFamily.js";

/**
 * Intune targetedManagedAppPolicyAssignment of an Android app protection policy (deviceAppManagement/androidManagedAppProtections; beta,
 * fact sheet section 11).
 * Inputs: `policyId` (GUID of the policy; changing it replaces) and `target` (updated in place through `assign`).
 * No item create is documented, so writes go through `assign` (body key `assignments`, answer 204); the docs
 * document only managedAppPolicies/{id}/assign for Android; the per-collection assign is not confirmed
 * (❓), so it is not used. Item PATCH and DELETE are documented.
 */
export const androidManagedAppProtectionAssignment = defineResource(
    managedAppPolicyDefinition({ kind: "AndroidManagedAppProtectionAssignment", collection: "androidManagedAppProtections", what: "Android app protection policy", assignUnder: "managedAppPolicies", itemUpdates: true }),
);
