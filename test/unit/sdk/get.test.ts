/**
 * The SDK's static `get` on every kind of the registry, under Pulumi's runtime mocks: it registers a read (never a
 * create) of the given id with the state, resolves every output the kind has from what the provider read, and
 * refuses an id or path property that is no id before registering anything.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as sdk from "../../../sdk";
import { DynamicAssignmentResource } from "../../../sdk/dynamicAssignmentResource";
import { descriptions, type ResourceDescription } from "../../../provider/model";

const POLICY_GUID = "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10";
const ASSIGNMENT_ID = "a1b2c3d4-0000-4000-8000-00000000000a";

function policyIdFor(description: ResourceDescription): string {
    return description.pathKinds.policyId === "intuneId" ? `${POLICY_GUID}_ExampleConfiguration` : POLICY_GUID;
}

type Registered = pulumi.runtime.MockResourceArgs;

/** The value an output resolves to (mocks resolve outputs without a deployment). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("the SDK's static get (a read-only reference by id)", () => {
    const registered: Registered[] = [];
    before(async () => {
        await pulumi.runtime.setMocks({
            newResource: (args) => {
                registered.push(args);
                // What the provider's read returns: every input of the kind as Graph holds it, and the id.
                const live = Object.fromEntries(Object.keys(descriptions[args.type.split(":").pop()!]!.properties).map((k) => [k, `live-${k}`]));
                return { id: args.id, state: { ...live, policyId: args.inputs.policyId, assignmentId: args.id } };
            },
            call: () => ({}),
        }, "project", "stack", false);
    });

    for (const [kind, description] of Object.entries(descriptions)) {
        it(`${kind}: registers a read of the id with the state and resolves every output`, async () => {
            const resourceClass = (sdk as unknown as Record<string, typeof DynamicAssignmentResource>)[kind]!;
            const get = resourceClass.get as unknown as (name: string, id: string, state: object) => DynamicAssignmentResource & Record<string, pulumi.Output<unknown>>;
            const policyId = policyIdFor(description);
            const before = registered.length;
            const reference = get.call(resourceClass, `ref-${kind}`, ASSIGNMENT_ID, { policyId });
            assert.ok(reference instanceof resourceClass);
            assert.equal(await valueOf(reference.id), ASSIGNMENT_ID);
            for (const key of Object.keys(description.properties).filter((k) => k !== "policyId")) {
                assert.equal(await valueOf(reference[key]!), `live-${key}`, `output ${key}`);
            }
            assert.equal(await valueOf(reference.policyId!), policyId);
            assert.equal(await valueOf(reference.assignmentId!), ASSIGNMENT_ID);
            const read = registered.slice(before);
            assert.equal(read.length, 1);
            assert.equal(read[0]!.id, ASSIGNMENT_ID, "a read of that id, not a create");
            assert.equal(read[0]!.inputs.policyId, policyId);
            assert.match(String(read[0]!.inputs.__provider), new RegExp(`dynamicProvider\\("${kind}"\\)`));
        });
    }

    it("refuses an id or a policy id that is no id, naming each, before registering anything", () => {
        const before = registered.length;
        assert.throws(
            () => sdk.DeviceConfigurationAssignment.get("bad", "a/../b", { policyId: "not-a-guid" }),
            (error: Error) => {
                assert.ok(pulumi.RunError.isInstance(error), "a RunError: Pulumi prints it without a stack");
                assert.match(error.message, /^DeviceConfigurationAssignment\.get: policyId must be a GUID .*; id must not contain '\/'/);
                return true;
            },
        );
        assert.equal(registered.length, before);
    });

    it("leaves values known only later (outputs) to the provider's read", async () => {
        const reference = sdk.DeviceConfigurationAssignment.get("later", pulumi.output(ASSIGNMENT_ID), { policyId: pulumi.output(POLICY_GUID) });
        assert.equal(await valueOf(reference.assignmentId), ASSIGNMENT_ID);
    });
});
