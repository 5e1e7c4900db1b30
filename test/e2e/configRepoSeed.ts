import { readFileSync } from "node:fs";
import path from "node:path";
import type { PolicyKind, RunningEmulator } from "../../emulator";
import { loadConfigRepo } from "../../cli/configRepo";
import { repoRoot } from "../../scripts/pulumiEnvironment";

export const exampleRepo = path.join(repoRoot, "examples", "config-repo");

interface Seed {
    groups: { id: string; displayName: string }[];
    policies: { kind: PolicyKind; id: string; displayName: string; provisioningType?: string }[];
}

/** How many assignments the example repository declares (its files, loaded as the CLI loads them). */
export function exampleAssignmentCount(): number {
    return loadConfigRepo(exampleRepo).entries.length;
}

/** Seeds the groups and policies examples/config-repo expects (examples/config-repo/emulator-seed.json). */
export function seedExampleTenant(emulator: RunningEmulator): Seed {
    const seed = JSON.parse(readFileSync(path.join(exampleRepo, "emulator-seed.json"), "utf8")) as Seed;
    for (const group of seed.groups) emulator.admin.seedGroup(group);
    for (const { kind, ...policy } of seed.policies) emulator.admin.seedPolicy(kind, policy as never);
    return seed;
}

/** Every assignment of the seeded policies, as the emulator holds them. */
export function allAssignments(emulator: RunningEmulator, seed: Seed) {
    return seed.policies.flatMap((p) => emulator.admin.listAssignments(p.kind, p.id).map((a) => ({ policy: p.id, ...a })));
}
