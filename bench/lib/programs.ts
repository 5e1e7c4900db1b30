/** Programs the benchmarks run: the do-nothing floor and assignments spread over seeded policies. */
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { Echo } from "../../test/support/echoResource";

export const ECHO_TYPE = "pulumi-nodejs:dynamic:Resource";
export const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";

export function typeOf(kind: string): string {
    return `pulumi-nodejs:dynamic/msgraph:${kind}`;
}

/** A distinct group id per index (and per `space`, so two programs in one emulator never share a slot). */
export function groupId(i: number, space = 0): string {
    return `6f1b1a59-2b1f-4a8e-${(0x9000 + space).toString(16)}-${i.toString(16).padStart(12, "0")}`;
}

/** N do-nothing dynamic resources: the engine's own cost for N resources. */
export function echoProgram(n: number, suffix = ""): PulumiFn {
    return async () => {
        for (let i = 0; i < n; i++) new Echo(`echo-${i}`, `m${i}${suffix}`);
    };
}

/**
 * The order a program declares its resources in: `interleaved` round-robin over the policies (resource i on policy
 * i mod P: consecutive resources never share a policy, the worst case for merging one policy's changes), or `grouped`
 * policy by policy, as a config repository declares them (each policy's assignments listed under it).
 */
export type DeclarationOrder = "interleaved" | "grouped";

/**
 * N resources made by `make(i, policyId)`, resource i on policy i mod P; `order` only changes the order of
 * declaration, never which resource goes with which policy (one stack can be run in either order).
 */
export function spreadProgram(
    policies: readonly string[],
    n: number,
    make: (i: number, policyId: string) => void,
    order: DeclarationOrder = "interleaved",
): PulumiFn {
    return async () => {
        for (const i of declarationOrder(policies.length, n, order)) make(i, policies[i % policies.length]!);
    };
}

function declarationOrder(p: number, n: number, order: DeclarationOrder): number[] {
    const indexes = Array.from({ length: n }, (_, i) => i);
    return order === "interleaved" ? indexes : indexes.sort((a, b) => (a % p) - (b % p) || a - b);
}
