/**
 * `pulumi-msgraph-assignments/policy`: the policy pack's policies for users who compose their own pack, and the pure
 * rules behind them.
 */
export { assignmentPolicies, createAssignmentPolicyPack, DEFAULT_MAX_DELETES_AND_REPLACEMENTS, POLICY_NAMES, POLICY_PACK_NAME, type AssignmentPolicyOptions } from "./pack.js";
export { kindsWithBroadTargets, viewOf, viewsOf, TYPE_PREFIX, type AssignmentView, type Registry, type ResourceLike } from "./assignments.js";
export * from "./rules.js";
export { destructiveChanges, tooManyDestructiveChanges, previousResourcesOf, type DestructiveChange, type PreviousResource } from "./destructive.js";
