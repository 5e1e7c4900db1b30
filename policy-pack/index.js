// The policy pack shipped with pulumi-msgraph-assignments: `pulumi preview --policy-pack <this folder>`. Plain
// JavaScript so the engine runs it without a TypeScript compiler; the policies are the package's compiled
// `pulumi-msgraph-assignments/policy` (run `npm run build` first in a clone).
require("../dist/policy/index.js").createAssignmentPolicyPack();
