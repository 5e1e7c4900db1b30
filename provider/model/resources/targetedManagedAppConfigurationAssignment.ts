import { defineResource } from "../description.js";
import { managedAppPolicyDefinition } from "./managedAppPolicyFamily.js";

/**
 * Intune targetedManagedAppPolicyAssignment of an app configuration policy for managed apps (deviceAppManagement/targetedManagedAppConfigurations; beta,
 * fact sheet section 11).
 * Inputs: `policyId` (GUID of the policy; changing it replaces) and `target` (updated in place through `assign`).
 * No item create is documented, so writes go through `assign` (body key `assignments`, answer 204); the docs
 * document targetedManagedAppConfigurations/{id}/assign. Item PATCH and DELETE are documented.
 */
export const targetedManagedAppConfigurationAssignment = defineResource(
    managedAppPolicyDefinition({ kind: "TargetedManagedAppConfigurationAssignment", collection: "targetedManagedAppConfigurations", what: "app configuration policy for managed apps", assignUnder: "collection", itemUpdates: true }),
);
