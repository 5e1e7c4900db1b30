import * as pulumi from "@pulumi/pulumi";

/**
 * The module Pulumi's dynamic-provider host loads from each resource's state (`__provider`): one line that requires
 * the installed package. `pulumi.dynamic.Resource` would instead serialize a closure of the provider object (about
 * 1.9 KB per resource here, written twice into state and re-marshalled by the engine at every checkpoint) and
 * would capture whatever that closure can reach. This text captures nothing, so no setting or credential can
 * reach state, and `refresh`/`destroy` always run the installed provider code.
 */
export function providerModuleText(kind: string, writeStrategy?: string): string {
    const args = [kind, ...(writeStrategy !== undefined ? [writeStrategy] : [])].map((a) => JSON.stringify(a)).join(", ");
    return `exports.handler = () => require("pulumi-msgraph-assignments/provider").dynamicProvider(${args});\n`;
}

/**
 * Base of the assignment resources: a Pulumi dynamic resource (type `pulumi-nodejs:dynamic/msgraph:<Kind>`, served by
 * the `pulumi-nodejs` plugin like any `pulumi.dynamic.Resource`) whose provider is {@link providerModuleText}.
 */
export abstract class DynamicAssignmentResource extends pulumi.CustomResource {
    protected constructor(
        kind: string,
        name: string,
        props: pulumi.Inputs,
        opts: pulumi.CustomResourceOptions | undefined,
        writeStrategy: string | undefined,
    ) {
        super(`pulumi-nodejs:dynamic/msgraph:${kind}`, name, { ...props, __provider: providerModuleText(kind, writeStrategy) }, opts);
    }
}
