/**
 * Benchmark: what naming policies by display name costs. A repository of `policies` policies, each named with
 * `policy:` and each with one assignment, is resolved against the emulator the way the config-repo program resolves it
 * (cli/nameResolution.ts); the figure is the number of Graph requests, against the number of names.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfigRepoOrThrow, resolveEntries } from "../cli/configRepo";
import { graphClientFor } from "../cli/graphSettings";
import { DEFAULT_LIST_PAGE_SIZE, type RunningEmulator } from "../emulator";

/** One benchmark line (the same shape bench/run.ts prints). */
export interface NameResolutionRow {
    readonly benchmark: string;
    readonly figure: string;
    readonly reference: string;
    readonly ratio: string;
    readonly target: string;
    readonly verdict: string;
}

/** Seeds `policies` Administrative Templates policies into the emulator's default tenant and resolves them by name. */
export async function nameResolutionBenchmark(emulator: RunningEmulator, policies = 100): Promise<NameResolutionRow> {
    const names = Array.from({ length: policies }, (_, i) => `Named bench ${i} (O'Brien)`);
    const ids = names.map((displayName) => emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName }).id);
    const dir = mkdtempSync(path.join(os.tmpdir(), "bench-names-"));
    try {
        mkdirSync(path.join(dir, "assignments"));
        const blocks = names.map((name, i) =>
            `  - kind: GroupPolicyConfigurationAssignment\n    policy: ${JSON.stringify(name)}\n    assignments:\n      - name: named-${i}\n        target: { type: allDevices }\n`);
        writeFileSync(path.join(dir, "assignments", "named.yaml"), `policies:\n${blocks.join("")}`);
        const repo = loadConfigRepoOrThrow(dir);
        const client = graphClientFor({
            "msgraph:tenantId": emulator.tenantId,
            "msgraph:clientId": emulator.clientId,
            "msgraph:clientSecret": emulator.clientSecret,
            "msgraph:graphBaseUrl": emulator.graphBaseUrl,
            "msgraph:authorityHost": emulator.authorityHost,
            "msgraph:caCertPath": emulator.caCertPath,
        });
        emulator.admin.clearLog();
        const entries = await resolveEntries(repo, () => client);
        const requests = emulator.log().filter((e) => e.path.startsWith("/beta/")).length;
        const right = entries.filter((e, i) => e.policyId === ids[i]).length;
        // One listing of the collection, every page of it: the most a listing can take at the emulator's page size.
        const pages = Math.max(1, Math.ceil(emulator.admin.state().groupPolicyConfigurations.length / DEFAULT_LIST_PAGE_SIZE));
        return {
            benchmark: `6. name resolution: ${policies} policies named by display name (one kind)`,
            figure: `${requests} Graph request(s) (one listing, ${pages} page(s) of ${DEFAULT_LIST_PAGE_SIZE}), ${right}/${policies} resolved to the right id`,
            reference: `${policies} names (one $filter query per name would be ${policies} requests)`,
            ratio: `${(requests / policies).toFixed(2)} requests per name`,
            target: "one paged listing per kind",
            verdict: right === policies && requests <= pages ? "met" : "MISSED",
        };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
