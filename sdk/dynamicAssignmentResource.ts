import * as pulumi from "@pulumi/pulumi";

/**
 * Options of a resource that are not Graph inputs (see provider/resourceOptions.ts). Typed loosely on purpose: a
 * JavaScript program can pass anything, and the provider's `check` reports what is wrong with a clean message.
 */
export interface ProviderModuleOptions {
    readonly writeStrategy?: unknown;
    readonly adoptExisting?: unknown;
}

/**
 * The module Pulumi's dynamic-provider host loads from each resource's state (`__provider`): one line that requires
 * the installed package. `pulumi.dynamic.Resource` would instead serialize a closure of the provider object (about
 * 1.9 KB per resource here, written twice into state and re-marshalled by the engine at every checkpoint) and
 * would capture whatever that closure can reach. This text captures nothing, so no setting or credential can
 * reach state, and `refresh`/`destroy` always run the installed provider code.
 *
 * The options go in as JSON literals (data, never code): none, a write strategy alone (the form states written before
 * `adoptExisting` carry, kept so their text does not change), or an object of options.
 */
export function providerModuleText(kind: string, options: ProviderModuleOptions = {}): string {
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    const keys = Object.keys(given);
    const argument = keys.length === 0 ? [] : keys.length === 1 && typeof given.writeStrategy === "string" ? [given.writeStrategy] : [given];
    const args = [kind, ...argument].map((a) => JSON.stringify(a)).join(", ");
    return `exports.handler = () => require("pulumi-msgraph-assignments/provider").dynamicProvider(${args});\n`;
}

/**
 * The options a stored provider module carries (the inverse of {@link providerModuleText}), read without running it:
 * `drift` reads each resource the way `pulumi refresh` would, with the resource's own write strategy. Undefined when
 * the text is not such a module.
 */
export function providerModuleArguments(text: string): { readonly kind: string; readonly options?: unknown } | undefined {
    const match = /\.dynamicProvider\((.*)\);\s*$/.exec(text);
    if (match === null || !text.startsWith('exports.handler = () => require("pulumi-msgraph-assignments/provider")')) return undefined;
    try {
        const args: unknown = JSON.parse(`[${match[1]}]`);
        if (!Array.isArray(args) || typeof args[0] !== "string") return undefined;
        return args.length > 1 ? { kind: args[0], options: args[1] } : { kind: args[0] };
    } catch {
        return undefined;
    }
}

/**
 * Base of the assignment resources: a Pulumi dynamic resource (type `pulumi-nodejs:dynamic/msgraph:<Kind>`, served by
 * the `pulumi-nodejs` plugin like any `pulumi.dynamic.Resource`) whose provider is {@link providerModuleText}.
 *
 * Each resource also passes its own URN as the `__urn` input: the dynamic-provider host gives providers no URN, and
 * the provider needs it to attach warnings (an adoption) to the resource in the engine's output. Like `__provider`
 * it is never sent to Graph and never compared.
 */
export abstract class DynamicAssignmentResource extends pulumi.CustomResource {
    protected constructor(
        kind: string,
        name: string,
        props: pulumi.Inputs,
        opts: pulumi.CustomResourceOptions | undefined,
        options: ProviderModuleOptions,
    ) {
        const type = `pulumi-nodejs:dynamic/msgraph:${kind}`;
        const urn = pulumi.createUrn(name, type, opts?.parent);
        super(type, name, { ...props, __provider: providerModuleText(kind, options), __urn: urn }, opts);
    }
}
