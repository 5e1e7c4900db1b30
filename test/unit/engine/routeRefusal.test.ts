import assert from "node:assert/strict";
import { isItemRouteRefused } from "../../../provider/engine/routeRefusal";
import { GraphError } from "../../../provider/graph";

const ROUTES = ["/provisioningPolicies/{policyId}/assignments", "/provisioningPolicies/{policyId}/assignments/{id}"];
const answer = (status: number, graphMessage?: string, code = "BadRequest") => new GraphError({ status, method: "GET", path: "/x", code, graphMessage });

describe("isItemRouteRefused", () => {
    it("counts Intune's two 'no route' answers (400)", () => {
        assert.equal(isItemRouteRefused(answer(400, "No OData route exists that match template ~/singleton/navigation/key/navigation with http verb POST"), ROUTES), true);
        assert.equal(isItemRouteRefused({ status: 400, message: "No method match route template" }, ROUTES), true);
    });

    it("counts an unknown literal segment of the route called, answered 400 or 404", () => {
        assert.equal(isItemRouteRefused(answer(400, "Resource not found for the segment 'provisioningPolicies'."), ROUTES), true);
        assert.equal(isItemRouteRefused(answer(404, "Resource not found for the segment 'assignments'."), ROUTES), true);
        assert.equal(isItemRouteRefused(answer(400, "Resource not found for the segment 'ProvisioningPolicies'."), ROUTES), true, "case-insensitive");
    });

    it("does not count a 404 about an entity: the assignment or the policy is gone", () => {
        assert.equal(isItemRouteRefused(answer(404, "Resource not found for the segment 'p_g'.", "ResourceNotFound"), ROUTES), false);
        assert.equal(isItemRouteRefused(answer(404, "The requested resource does not exist.", "ResourceNotFound"), ROUTES), false);
        assert.equal(isItemRouteRefused(answer(404, undefined, "ResourceNotFound"), ROUTES), false);
    });

    it("does not count a segment of some other route, other statuses, or non-Graph errors", () => {
        assert.equal(isItemRouteRefused(answer(400, "Resource not found for the segment 'groups'."), ROUTES), false);
        assert.equal(isItemRouteRefused(answer(403, "Resource not found for the segment 'provisioningPolicies'.", "Forbidden"), ROUTES), false);
        assert.equal(isItemRouteRefused(answer(404, "No OData route exists"), ROUTES), false);
        assert.equal(isItemRouteRefused(new Error("Resource not found for the segment 'provisioningPolicies'"), ROUTES), false);
        assert.equal(isItemRouteRefused(undefined, ROUTES), false);
    });
});
