import assert from "node:assert/strict";
import { getDescription } from "../../../provider/model";
import { optionFailures, resolveAdoptExisting, resolveWriteStrategy, resourceOptionsOf } from "../../../provider/resourceOptions";

const gpc = getDescription("GroupPolicyConfigurationAssignment");
const cloudPc = getDescription("CloudPcProvisioningPolicyAssignment");

const config = (values: Record<string, string> = {}) => ({ get: (key: string) => values[key] });

describe("resourceOptionsOf", () => {
    it("reads nothing, a write strategy alone (states written before adoptExisting), or an options object", () => {
        assert.deepEqual(resourceOptionsOf(undefined), {});
        assert.deepEqual(resourceOptionsOf("assign"), { writeStrategy: "assign" });
        assert.deepEqual(resourceOptionsOf({ adoptExisting: false }), { adoptExisting: false });
        assert.deepEqual(resourceOptionsOf({ writeStrategy: "item", colour: 1 }), { writeStrategy: "item", unexpected: ["colour"] });
    });
});

describe("optionFailures", () => {
    it("accepts valid options and stack defaults", () => {
        assert.deepEqual(optionFailures({ writeStrategy: "auto", adoptExisting: true }, config({ "msgraph:writeStrategy": "item", "msgraph:adoptExisting": "false" })), []);
    });

    it("names the option, what is wrong and what is expected", () => {
        assert.deepEqual(optionFailures({ writeStrategy: "fast", adoptExisting: "yes" }, config()), [
            { property: "writeStrategy", reason: "writeStrategy must be one of: item, assign, auto" },
            { property: "adoptExisting", reason: "adoptExisting must be true or false (got string)" },
        ]);
        assert.deepEqual(optionFailures({ writeStrategy: ["item"], adoptExisting: null }, config()).map((f) => f.reason), [
            "writeStrategy must be one of: item, assign, auto (got array)",
            "adoptExisting must be true or false (got null)",
        ]);
        assert.deepEqual(optionFailures({ retries: 3 }, config()), [{ property: "retries", reason: "retries is not an option (expected: writeStrategy, adoptExisting)" }]);
    });

    it("reports invalid stack defaults as stack config", () => {
        assert.deepEqual(optionFailures(undefined, config({ "msgraph:writeStrategy": "fast", "msgraph:adoptExisting": "no" })), [
            { property: "msgraph:writeStrategy", reason: "msgraph:writeStrategy (stack config) must be one of: item, assign, auto" },
            { property: "msgraph:adoptExisting", reason: "msgraph:adoptExisting (stack config) must be true or false" },
        ]);
    });
});

describe("resolveWriteStrategy and resolveAdoptExisting", () => {
    it("take the resource's own value, else the stack's, else the kind's default and true", () => {
        assert.equal(resolveWriteStrategy("assign", config({ "msgraph:writeStrategy": "item" }), gpc), "assign");
        assert.equal(resolveWriteStrategy(undefined, config({ "msgraph:writeStrategy": "item" }), gpc), "item");
        assert.equal(resolveWriteStrategy(undefined, config(), gpc), "auto");
        assert.equal(resolveWriteStrategy(undefined, config(), cloudPc), "assign", "a kind without item routes defaults to assign");
        assert.equal(resolveAdoptExisting({ adoptExisting: true }, config({ "msgraph:adoptExisting": "false" })), true);
        assert.equal(resolveAdoptExisting(undefined, config({ "msgraph:adoptExisting": "false" })), false);
        assert.equal(resolveAdoptExisting("item", config()), true);
    });

    it("refuse an invalid value with check's message, each only for its own option", () => {
        assert.throws(() => resolveWriteStrategy("fast", config(), gpc), /^Error: writeStrategy must be one of: item, assign, auto$/);
        assert.equal(resolveWriteStrategy("item", config({ "msgraph:adoptExisting": "maybe" }), gpc), "item", "a bad adoption default does not block a read");
        assert.throws(() => resolveAdoptExisting(undefined, config({ "msgraph:adoptExisting": "maybe" })), /msgraph:adoptExisting \(stack config\) must be true or false/);
    });
});

describe("write strategies a kind cannot run", () => {
    it("refuses item on a kind without item routes in check, naming the kind and what is expected", () => {
        assert.deepEqual(optionFailures({ writeStrategy: "item" }, config(), cloudPc), [
            {
                property: "writeStrategy",
                reason: "writeStrategy cannot be item for CloudPcProvisioningPolicyAssignment: Graph documents no item routes for it (expected: assign or auto)",
            },
        ]);
        assert.throws(() => resolveWriteStrategy("item", config(), cloudPc), /cannot be item for CloudPcProvisioningPolicyAssignment/);
    });

    it("applies a stack preference only where the kind can run it", () => {
        assert.equal(resolveWriteStrategy(undefined, config({ "msgraph:writeStrategy": "item" }), cloudPc), "assign");
        assert.equal(resolveWriteStrategy(undefined, config({ "msgraph:writeStrategy": "auto" }), cloudPc), "assign");
        assert.deepEqual(optionFailures(undefined, config({ "msgraph:writeStrategy": "item" }), cloudPc), []);
    });
});
