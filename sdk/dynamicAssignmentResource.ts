import * as pulumi from "@pulumi/pulumi";
import { getDescription, referenceError, referenceProblems } from "../provider/model";

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

/** Whether a value is there while the program runs (an Output or a promise is checked by the provider's read). */
function isKnownNow(value: unknown): boolean {
    return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/** The constructor every assignment resource class has; {@link DynamicAssignmentResource.get} builds references with it. */
type AssignmentClass<Resource, Args> = new (name: string, args: Args, opts?: pulumi.CustomResourceOptions) => Resource;

/**
 * What `get` takes besides the id: the policy the assignment belongs to (`policyId`, the path property every kind
 * has), optionally other inputs. Options that steer writes are left out: a reference never writes.
 */
export type AssignmentState<Args> = Pick<Args, "policyId" & keyof Args> & Partial<Omit<Args, "policyId" | "writeStrategy" | "adoptExisting">>;

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
        const description = getDescription(kind);
        if (opts?.id !== undefined) {
            // A `get`: refuse ids that could never be Graph's before anything is registered (a RunError prints no stack).
            const problems = referenceProblems(description, opts.id, props, isKnownNow);
            if (problems.length > 0) throw new pulumi.RunError(referenceError(description, problems));
        }
        const type = `pulumi-nodejs:dynamic/msgraph:${kind}`;
        const urn = pulumi.createUrn(name, type, opts?.parent);
        // Pulumi resolves only the outputs named in props: name every input of the kind, so that an input left out
        // (always, in a `get`) still comes back as Graph holds it.
        const outputs = Object.fromEntries(Object.keys(description.properties).map((key) => [key, undefined]));
        super(type, name, { ...outputs, ...props, __provider: providerModuleText(kind, options), __urn: urn }, opts);
    }

    /**
     * A read-only reference to an existing assignment, Pulumi's `get`: e.g.
     * `DeviceConfigurationAssignment.get("baseline", assignmentId, { policyId })`. Every `up` reads it from its
     * policy's list (no write is ever sent) and fills its outputs (`target` and the rest) as Graph holds them; a
     * missing assignment fails the run. Destroying the stack leaves the assignment in place.
     * `id` and the path properties are checked as ids of their kind before anything is registered (and by the
     * provider's read for values known only later): none reaches a URL unchecked.
     */
    public static get<Resource extends DynamicAssignmentResource, Args>(
        this: AssignmentClass<Resource, Args>,
        name: string,
        id: pulumi.Input<pulumi.ID>,
        state: AssignmentState<Args>,
        opts?: pulumi.CustomResourceOptions,
    ): Resource {
        // With `opts.id` set, CustomResource registers a read (the provider's `read`), never a create.
        return new this(name, state as Args, { ...opts, id });
    }
}
