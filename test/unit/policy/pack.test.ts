import assert from "node:assert/strict";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_REGISTRY, type Registry, type ResourceLike } from "../../../policy/assignments.js";
import { assignmentPolicies, POLICY_NAMES, type AssignmentPolicyOptions } from "../../../policy/pack.js";
import { getDescription } from "../../../provider/model/registry.js";
import { intuneTargetWithoutFilters } from "../../../provider/model/targets.js";
import { allDevices, G1, G2, group, P1, P2, resource, withFilter } from "./fixtures.js";

/** A kind the registry does not have yet: an app assignment with an `intent`, Intune targets. */
const gpca = getDescription("GroupPolicyConfigurationAssignment");
const FAKE_REGISTRY: Registry = {
    ...DEFAULT_REGISTRY,
    MobileAppAssignment: { ...gpca, kind: "MobileAppAssignment", properties: { ...gpca.properties, intent: { type: "enum", values: ["required", "available"] } } },
    UnfilteredAssignment: { ...gpca, kind: "UnfilteredAssignment", properties: { ...gpca.properties, target: intuneTargetWithoutFilters("this kind takes no filter") } },
};

class NotApplicable extends Error {}

function policiesWith(options: AssignmentPolicyOptions = {}) {
    const all = assignmentPolicies({ registry: FAKE_REGISTRY, env: {}, ...options });
    return (name: string) => all.find((p) => p.name === name)!;
}

/** Runs a resource policy on one resource; returns the messages it reports. */
async function onResource(policy: ResourceValidationPolicy, r: ResourceLike, config: object = {}): Promise<string[]> {
    const messages: string[] = [];
    const validate = policy.validateResource as (args: unknown, report: (m: string) => void) => Promise<void> | void;
    await validate({ ...r, getConfig: () => config, notApplicable: () => { throw new NotApplicable(); } }, (m) => messages.push(m));
    return messages;
}

/** Runs a stack policy; returns [message, urn] pairs, or "not applicable". */
async function onStack(policy: StackValidationPolicy, resources: ResourceLike[], config: object = {}): Promise<[string, string | undefined][] | "not applicable"> {
    const found: [string, string | undefined][] = [];
    try {
        await policy.validateStack!(
            { resources: resources.map((r) => ({ ...r, opts: { aliases: [] } })), getConfig: () => config, notApplicable: () => { throw new NotApplicable(); } } as never,
            (m, urn) => found.push([m, urn]),
        );
    } catch (e) {
        if (e instanceof NotApplicable) return "not applicable";
        throw e;
    }
    return found;
}

describe("policy pack: the policies wired to @pulumi/policy", () => {
    it("names and default levels; one broad-target policy per registry kind with all-* targets", () => {
        const levels = Object.fromEntries(assignmentPolicies({ registry: FAKE_REGISTRY, env: {} }).map((p) => [p.name, p.enforcementLevel]));
        assert.equal(levels[`${POLICY_NAMES.broadTargetPrefix}GroupPolicyConfigurationAssignment`], "advisory");
        assert.equal(levels[`${POLICY_NAMES.broadTargetPrefix}MobileAppAssignment`], "advisory", "a kind added to the registry is covered");
        assert.equal(levels[`${POLICY_NAMES.broadTargetPrefix}CloudPcProvisioningPolicyAssignment`], undefined);
        assert.equal(levels[`${POLICY_NAMES.broadTargetPrefix}UnfilteredAssignment`], undefined, "no filter advice where the service applies none");
        assert.equal(levels[POLICY_NAMES.requiredAppBroadTarget], "mandatory");
        assert.equal(levels[POLICY_NAMES.includedAndExcluded], "mandatory");
        assert.equal(levels[POLICY_NAMES.duplicateTarget], "mandatory");
        assert.equal(levels[POLICY_NAMES.exclusionsOnly], "advisory");
        assert.equal(levels[POLICY_NAMES.deleteLimit], "mandatory");
        assert.equal(levels[POLICY_NAMES.protectedGroups], "mandatory");
    });

    it("required intent to all devices without a filter: the mandatory policy reports it, the per-kind advisory one does not", async () => {
        const policy = policiesWith();
        const app = resource("company-portal", { policyId: P1, intent: "required", target: allDevices() }, "MobileAppAssignment");
        const required = await onResource(policy(POLICY_NAMES.requiredAppBroadTarget) as ResourceValidationPolicy, app);
        assert.equal(required.length, 1);
        assert.match(required[0]!, /MobileAppAssignment "company-portal" \(policy .*\) assigns to all devices with intent "required" without an assignment filter/);
        assert.deepEqual(await onResource(policy(`${POLICY_NAMES.broadTargetPrefix}MobileAppAssignment`) as ResourceValidationPolicy, app), []);
        const available = resource("portal", { policyId: P1, intent: "available", target: allDevices() }, "MobileAppAssignment");
        assert.deepEqual(await onResource(policy(POLICY_NAMES.requiredAppBroadTarget) as ResourceValidationPolicy, available), []);
        assert.equal((await onResource(policy(`${POLICY_NAMES.broadTargetPrefix}MobileAppAssignment`) as ResourceValidationPolicy, available)).length, 1);
        const filtered = resource("filtered", { policyId: P1, intent: "required", target: allDevices(withFilter()) }, "MobileAppAssignment");
        assert.deepEqual(await onResource(policy(POLICY_NAMES.requiredAppBroadTarget) as ResourceValidationPolicy, filtered), []);
    });

    it("the per-kind policy only looks at its kind", async () => {
        const policy = policiesWith()(`${POLICY_NAMES.broadTargetPrefix}GroupPolicyConfigurationAssignment`) as ResourceValidationPolicy;
        assert.equal((await onResource(policy, resource("wide", { policyId: P1, target: allDevices() }))).length, 1);
        assert.deepEqual(await onResource(policy, resource("app", { policyId: P1, target: allDevices() }, "MobileAppAssignment")), []);
    });

    it("protected groups come from the pack config and from msgraph:protectedGroupIds of the stack", async () => {
        const policy = policiesWith({ env: { PULUMI_CONFIG: JSON.stringify({ "msgraph:protectedGroupIds": JSON.stringify([G2]) }) } })(POLICY_NAMES.protectedGroups) as ResourceValidationPolicy;
        assert.equal((await onResource(policy, resource("a", { policyId: P1, target: group(G1) }), { protectedGroupIds: [G1] })).length, 1);
        assert.equal((await onResource(policy, resource("b", { policyId: P1, target: group(G2) }), {})).length, 1);
        assert.deepEqual(await onResource(policy, resource("c", { policyId: P1, target: group(G1) }), {}), []);
        assert.ok(policy.configSchema?.properties.protectedGroupIds);
    });

    it("stack policies report on each offending resource's URN", async () => {
        const policy = policiesWith()(POLICY_NAMES.duplicateTarget) as StackValidationPolicy;
        const a = resource("a", { policyId: P1, target: allDevices() });
        const b = resource("b", { policyId: P1, target: allDevices() });
        const found = await onStack(policy, [a, b, resource("c", { policyId: P2, target: allDevices() })]);
        assert.deepEqual((found as [string, string][]).map(([, urn]) => urn).sort(), [a.urn, b.urn]);
    });

    describe("the delete/replace limit", () => {
        const previous = ["x", "y", "z"].map((name) => {
            const r = resource(name, { policyId: P1, target: group(G1) });
            return { urn: r.urn, type: r.type, inputs: r.props };
        });
        const stack = { type: "pulumi:pulumi:Stack", name: "proj-dev", urn: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev", props: {} };

        it("counts against the previous checkpoint with maxDeletesAndReplacements from the config (default 10)", async () => {
            const policy = policiesWith({ previousResources: async () => previous })(POLICY_NAMES.deleteLimit) as StackValidationPolicy;
            assert.deepEqual(await onStack(policy, [stack]), [], "3 deletes are within the default");
            const found = await onStack(policy, [stack], { maxDeletesAndReplacements: 2 });
            assert.equal(found.length, 1);
            const [[message, urn]] = found as [string, string][];
            assert.equal(urn, stack.urn);
            assert.match(message!, /deletes or replaces 3 assignments, more than maxDeletesAndReplacements \(2\)\. Deletes \(3\): x, y, z\./);
            assert.deepEqual(policy.configSchema?.properties.maxDeletesAndReplacements, { type: "integer", minimum: 0, default: 10 });
        });

        it("is decided in the preview: not applicable in the update phase, or without a previous stack", async () => {
            const update = policiesWith({ previousResources: async () => previous, env: { PULUMI_NODEJS_DRY_RUN: "false" } })(POLICY_NAMES.deleteLimit) as StackValidationPolicy;
            assert.equal(await onStack(update, [stack], { maxDeletesAndReplacements: 0 }), "not applicable");
            const fresh = policiesWith({ previousResources: async () => undefined })(POLICY_NAMES.deleteLimit) as StackValidationPolicy;
            assert.equal(await onStack(fresh, [stack]), "not applicable");
        });

        it("reports (does not pass silently) when the checkpoint cannot be read", async () => {
            const policy = policiesWith({ previousResources: async () => { throw new Error("spawn pulumi ENOENT"); } })(POLICY_NAMES.deleteLimit) as StackValidationPolicy;
            const found = await onStack(policy, [stack]);
            assert.equal(found.length, 1);
            assert.match((found as [string, string][])[0]![0], /could not read the stack's last checkpoint .*spawn pulumi ENOENT.*put the Pulumi CLI on PATH/);
        });
    });
});
