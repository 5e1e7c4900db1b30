/**
 * Every kind of the registry end to end, under the real Pulumi CLI against the emulator. One stack holds one
 * assignment of each kind (its description's example) on a policy seeded in the kind's emulator family, beside an
 * entry of another group the stack does not manage; every `up` covers every kind at once. Create, a second up
 * without writes, the example's update as one minimal write, an export of every kind's policy that loads back and whose first up adopts it all with no write, an
 * out-of-band change named by `drift` and by preview --refresh and repaired, destroy keeping the foreign entries;
 * then, on a tenant refusing item routes, the kinds with item create and an `assign` action fall back to `assign`. The expectations come from each description (write strategy, routes, replace rules),
 * never from a list of kinds.
 */
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { configRepoProgram, loadConfigRepo, sdkClassOf, toInputs } from "../../cli/configRepo";
import { detectDrift } from "../../cli/drift";
import { exportAssignments } from "../../cli/export";
import { FAMILIES, type Family, type PolicyKind, type StoredAssignment } from "../../emulator";
import { buildPath, descriptions, diffInputs, ODATA_TYPE, toGraphBody, type ResourceDescription } from "../../provider/model";
import { emulatorFamilyOf } from "../emulatorFamily";
import { startE2eWorld, type E2eWorld } from "./harness";

/** The group of the entries this stack does not manage (no example uses it: checked below). */
const FOREIGN_GROUP = "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716";

type Json = Record<string, unknown>;
type Write = ReturnType<E2eWorld["writes"]>[number];

/** One kind in one stack: its description, its emulator family, the seeded policy and the foreign entry on it. */
interface KindCase {
    readonly kind: string;
    readonly description: ResourceDescription;
    readonly family: Family;
    readonly policyId: string;
    /** The example's inputs on the seeded policy, and with the example's update applied. */
    readonly inputs: Json;
    readonly updated: Json;
    /** The foreign entry as seeded: target and the family's other properties. */
    readonly foreign: Json;
}

function isObject(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME_OF_DAY = /^\d\d:\d\d(:\d\d(\.\d+)?)?$/;

/** Two spellings of one Graph string: GUIDs in any case, `@odata.type` with or without '#', "01:00" = "01:00:00". */
function sameString(key: string, expected: string, actual: string): boolean {
    if (expected === actual) return true;
    if (GUID.test(expected) && GUID.test(actual)) return expected.toLowerCase() === actual.toLowerCase();
    if (key === ODATA_TYPE) return expected.replace(/^#/, "") === actual.replace(/^#/, "");
    if (TIME_OF_DAY.test(expected) && TIME_OF_DAY.test(actual)) {
        const seconds = (t: string) => (t.length === 5 ? `${t}:00` : t).replace(/\.0*$/, "");
        return seconds(expected) === seconds(actual);
    }
    return false;
}

/** Where `actual` does not hold everything `expected` says (extra properties in `actual` are not differences). */
function differences(expected: unknown, actual: unknown, at: string, key = ""): string[] {
    if (isObject(expected)) {
        if (!isObject(actual)) return [`${at}: expected an object, found ${JSON.stringify(actual)}`];
        return Object.entries(expected).flatMap(([k, v]) => differences(v, actual[k], `${at}.${k}`, k));
    }
    if (Array.isArray(expected)) {
        if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`];
        return expected.flatMap((item, i) => differences(item, actual[i], `${at}[${i}]`));
    }
    if (expected === null && actual === undefined) return [];
    if (typeof expected === "string" && typeof actual === "string" && sameString(key, expected, actual)) return [];
    return isDeepStrictEqual(expected, actual) ? [] : [`${at}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`];
}

/** A stored assignment as one entry: its target and the family's other properties. */
function entryOf(stored: StoredAssignment): Json {
    return { target: stored.target, ...(stored.properties ?? {}) };
}

/** A value without its null properties, at every depth: Graph reads a property never set as null. */
function withoutNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (!isObject(value)) return value;
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** The inputs' body properties in the shape the family stores (a description's `toEntry` maps a flat input shape). */
function expectedEntry(c: KindCase, inputs: Json): Json {
    const body = Object.fromEntries(c.description.bodyProperties.filter((k) => inputs[k] !== undefined).map((k) => [k, inputs[k]]));
    return c.description.assignList?.toEntry?.(body) ?? body;
}

/** The target of an entry this stack does not manage: an exclusion where the family has them, else another group. */
function foreignTarget(family: Family): Json {
    return family.target === "cloudPc"
        ? { [ODATA_TYPE]: "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: FOREIGN_GROUP }
        : { [ODATA_TYPE]: "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: FOREIGN_GROUP, deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: "none" };
}

/** The family's required properties besides the target, each at a valid value (an enum's first member). */
function foreignProperties(family: Family): Json {
    return Object.fromEntries(
        Object.entries(family.properties)
            .filter(([, spec]) => spec.required === true)
            .map(([name, spec]) => {
                if (spec.type !== "enum") throw new Error(`${family.kind}: required property ${name} of type ${spec.type} has no foreign value here`);
                return [name, spec.members[0]];
            }),
    );
}

/** Collects findings over every kind, so that one run names every kind that misbehaves. */
class Findings {
    readonly list: string[] = [];
    check(kind: string, ok: boolean, message: string): void {
        if (!ok) this.list.push(`${kind}: ${message}`);
    }
    equal(kind: string, what: string, actual: unknown, expected: unknown): void {
        this.check(kind, isDeepStrictEqual(actual, expected), `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
    none(kind: string, what: string, found: readonly string[]): void {
        if (found.length > 0) this.list.push(`${kind}: ${what}: ${found.join("; ")}`);
    }
    assertEmpty(): void {
        assert.deepEqual(this.list, [], this.list.join("\n"));
    }
}

/** One step of a preview's --diff output: its operation and the lines under it. */
interface PlannedStep {
    readonly op: string;
    readonly lines: string[];
}

/** The steps a preview's --diff output shows per resource name (refresh steps left out). */
function planOf(stdout: string): Map<string, PlannedStep[]> {
    const plan = new Map<string, PlannedStep[]>();
    let current: PlannedStep | undefined;
    for (const text of stdout.split("\n")) {
        const header = /^\s*[-+~]{0,2}\s*(?:pulumi-nodejs:dynamic\/msgraph:(\w+)|pulumi:pulumi:Stack): \(([\w-]+)\)/.exec(text);
        if (header !== null) {
            current = header[1] === undefined || header[2] === "refresh" ? undefined : { op: header[2]!, lines: [] };
            if (current !== undefined) plan.set(header[1]!, [...(plan.get(header[1]!) ?? []), current]);
            continue;
        }
        current?.lines.push(text);
    }
    return plan;
}

describe("every assignment family of the registry under the real Pulumi CLI against the emulator", function () {
    this.timeout(900_000);
    let world: E2eWorld;

    before(async () => {
        world = await startE2eWorld("families");
    });
    after(async () => world?.dispose());

    /** Seeds a policy and a foreign entry for each description, in that description's emulator family. */
    function seedCases(selected: readonly ResourceDescription[], label: string): KindCase[] {
        return selected.map((description) => {
            const family = emulatorFamilyOf(description, FAMILIES);
            assert.ok(family, `${description.kind}: no emulator family serves its routes`);
            assert.ok(description.example, `${description.kind}: its description has no example`);
            const policyId = world.emulator.admin.seedPolicy(family.kind, { displayName: `${label} ${description.kind}` }).id;
            const seeded = world.emulator.admin.addAssignment(family.kind, policyId, foreignTarget(family), undefined, foreignProperties(family));
            return {
                kind: description.kind,
                description,
                family,
                policyId,
                inputs: { ...description.example.inputs, policyId },
                updated: { ...description.example.inputs, ...description.example.update, policyId },
                foreign: entryOf(seeded),
            };
        });
    }

    function program(cases: readonly KindCase[], version: "inputs" | "updated") {
        return async () => {
            for (const c of cases) new (sdkClassOf(c.kind))(c.kind, c[version]);
        };
    }

    const live = (c: KindCase) => world.emulator.admin.listAssignments(c.family.kind as PolicyKind, c.policyId);
    const isForeign = (a: StoredAssignment) => a.target.groupId === FOREIGN_GROUP;
    const ours = (c: KindCase) => live(c).filter((a) => !isForeign(a));

    /** Graph path of a route of the kind on its seeded policy (`id`: an assignment id). */
    function route(c: KindCase, template: string | undefined, id?: string): string {
        assert.ok(template, `${c.kind}: no such route`);
        return `/beta${buildPath(template, { policyId: c.policyId, ...(id !== undefined ? { id } : {}) }, c.description.pathKinds)}`;
    }
    const writesOf = (c: KindCase, writes: readonly Write[]) => writes.filter((w) => w.path.toLowerCase().includes(c.policyId.toLowerCase()));
    const line = (w: Write) => `${w.method} ${w.path}`;
    const succeeded = (w: Write) => w.status >= 200 && w.status < 300;

    /** The entry of ours matches `inputs`, and the foreign entry is exactly as seeded. */
    function checkLive(findings: Findings, c: KindCase, inputs: Json | undefined): void {
        const entries = live(c);
        const foreign = entries.filter(isForeign);
        findings.equal(c.kind, "the foreign entry (target and properties, a null the same as unset)", foreign.map((a) => withoutNulls(entryOf(a))), [withoutNulls(c.foreign)]);
        const mine = entries.filter((a) => !isForeign(a));
        if (inputs === undefined) {
            findings.equal(c.kind, "entries of ours left", mine.map((a) => a.id), []);
            return;
        }
        findings.equal(c.kind, "entries of ours", mine.length, 1);
        if (mine.length === 1) findings.none(c.kind, "our entry differs from the example", differences(expectedEntry(c, inputs), entryOf(mine[0]!), "entry"));
    }

    /** Checks an `assign` body: our entry as `inputs` say, the foreign entry posted back as seeded, no read-only key. */
    function checkAssignBody(findings: Findings, c: KindCase, body: unknown, inputs: Json): void {
        const key = c.description.assignList?.bodyKey ?? "assignments";
        const entries = isObject(body) && Array.isArray(body[key]) ? (body[key] as Json[]) : undefined;
        if (entries === undefined) return findings.check(c.kind, false, `the assign body has no ${key} list: ${JSON.stringify(body)}`);
        findings.equal(c.kind, "entries posted to assign", entries.length, 2);
        const foreign = entries.filter((e) => isObject(e.target) && e.target.groupId === FOREIGN_GROUP);
        findings.equal(c.kind, "foreign entries posted back", foreign.length, 1);
        if (foreign.length === 1) {
            findings.none(c.kind, "the foreign entry was not posted back as seeded", differences(c.foreign, foreign[0], "posted"));
            const readOnly = (c.description.assignList?.readOnly ?? []).filter((k) => k in foreign[0]!);
            findings.equal(c.kind, "read-only properties posted back", readOnly, []);
        }
        const mine = entries.filter((e) => !(isObject(e.target) && e.target.groupId === FOREIGN_GROUP));
        if (mine.length === 1) findings.none(c.kind, "our entry as posted to assign", differences(expectedEntry(c, inputs), mine[0], "posted"));
    }

    /** The one write that creates the kind's entry: the collection's POST, or `assign` where that is the kind's strategy. */
    const createRoute = (c: KindCase) =>
        c.description.defaultWriteStrategy === "assign" ? `POST ${route(c, c.description.paths.assign)}` : `POST ${route(c, c.description.paths.collection)}`;
    const deleteRoute = (c: KindCase, id: string) =>
        c.description.defaultWriteStrategy === "assign" ? `POST ${route(c, c.description.paths.assign)}` : `DELETE ${route(c, c.description.paths.item, id)}`;
    /** The writes that bring the kind from `from` to `to`: a replacement, or one update (PATCH or `assign`). */
    function changeRoutes(c: KindCase, from: Json, to: Json, id: string): string[] {
        if (diffInputs(c.description, from, to).replaces.length > 0) return [createRoute(c), deleteRoute(c, id)].sort();
        return [c.description.defaultWriteStrategy === "assign" ? `POST ${route(c, c.description.paths.assign)}` : `PATCH ${route(c, c.description.paths.item, id)}`];
    }

    describe("one stack with every kind", () => {
        let cases: KindCase[];
        const stack = (version: "inputs" | "updated") => world.stack(program(cases, version));

        before(() => {
            cases = seedCases(Object.values(descriptions), "Families");
            for (const c of cases) {
                assert.ok(!JSON.stringify(c.updated).includes(FOREIGN_GROUP) && !JSON.stringify(c.inputs).includes(FOREIGN_GROUP), `${c.kind}: its example uses the foreign group`);
            }
        });

        it("creates the example of every kind with one write each, beside the foreign entry", async () => {
            world.emulator.admin.clearLog();
            const result = await (await stack("inputs")).up();
            assert.equal(result.summary.resourceChanges?.create, cases.length + 1, result.stdout);
            const writes = world.writes();
            const findings = new Findings();
            for (const c of cases) {
                const mine = writesOf(c, writes);
                findings.equal(c.kind, "writes of the create", mine.map(line), [createRoute(c)]);
                if (mine.length === 1 && mine[0]!.path.endsWith("/assign")) checkAssignBody(findings, c, mine[0]!.body, c.inputs);
                checkLive(findings, c, c.inputs);
            }
            findings.assertEmpty();
            assert.equal(writes.length, cases.length, "no write outside the seeded policies");
        });

        it("sends no write on a second up", async () => {
            world.emulator.admin.clearLog();
            const result = await (await stack("inputs")).up();
            assert.deepEqual(result.summary.resourceChanges, { same: cases.length + 1 }, result.stdout);
            const findings = new Findings();
            for (const c of cases) findings.equal(c.kind, "writes of the second up", writesOf(c, world.writes()).map(line), []);
            findings.assertEmpty();
            assert.deepEqual(world.writes(), []);
        });

        it("applies the example's update with one minimal write per kind (a replacement where the kind only replaces)", async () => {
            const before = new Map(cases.map((c) => [c.kind, ours(c)[0]!.id]));
            world.emulator.admin.clearLog();
            const result = await (await stack("updated")).up();
            assert.equal(result.summary.result, "succeeded", result.stdout);
            const writes = world.writes();
            const findings = new Findings();
            for (const c of cases) {
                const mine = writesOf(c, writes);
                const id = before.get(c.kind)!;
                findings.equal(c.kind, "writes of the update", mine.map(line).sort(), changeRoutes(c, c.inputs, c.updated, id));
                const patch = mine.find((w) => w.method === "PATCH");
                if (patch !== undefined) {
                    const body = patch.body as Json;
                    findings.equal(c.kind, "properties in the PATCH", Object.keys(body).filter((k) => k !== ODATA_TYPE).sort(), Object.keys(c.description.example!.update).sort());
                    findings.none(c.kind, "the PATCH", differences(c.description.example!.update, body, "patch"));
                    findings.equal(c.kind, "the PATCH's entity @odata.type", body[ODATA_TYPE], c.description.sendOdataType ? c.description.odataType : undefined);
                }
                const assign = mine.filter((w) => w.path.endsWith("/assign"));
                if (assign.length === 1) checkAssignBody(findings, c, assign[0]!.body, c.updated);
                checkLive(findings, c, c.updated);
            }
            findings.assertEmpty();
            assert.equal(writes.length, cases.reduce((n, c) => n + writesOf(c, writes).length, 0), "no write outside the seeded policies");
        });

        it("exports every kind's policy as a repository that loads back to what the stack declares and adopts it all with 0 writes", async () => {
            const client = world.graphClient();
            const dir = mkdtempSync(path.join(os.tmpdir(), "families-export-"));
            try {
                world.emulator.admin.clearLog();
                const result = await exportAssignments({
                    client,
                    policies: cases.map((c) => ({ kind: c.kind, policyId: c.policyId })),
                    outFile: path.join(dir, "assignments", "families.yaml"),
                });
                assert.deepEqual(world.writes(), [], "export writes nothing");
                assert.equal(result.assignments, cases.length * 2, "ours and the foreign entry of every kind");
                const repo = loadConfigRepo(dir);
                assert.deepEqual(repo.errors, [], readFileSync(result.file!, "utf8"));
                const findings = new Findings();
                for (const c of cases) {
                    const entries = repo.entries.filter((x) => x.kind === c.kind && x.policyId.toLowerCase() === c.policyId.toLowerCase());
                    findings.equal(c.kind, "exported entries", entries.length, 2);
                    const exported = entries.map((x) => toInputs(x));
                    // A kind's group sits in its target, or (Windows 365 provisioning) in a groupId input of its own.
                    const isForeignInput = (i: Json) => (isObject(i.target) ? i.target.groupId : i.groupId) === FOREIGN_GROUP;
                    const foreign = exported.filter(isForeignInput);
                    findings.equal(c.kind, "exported foreign entries", foreign.length, 1);
                    const mine = exported.filter((i) => !isForeignInput(i));
                    findings.equal(c.kind, "exported entries of ours", mine.length, 1);
                    if (mine.length === 1) {
                        const diff = diffInputs(c.description, c.updated, mine[0]!);
                        findings.check(c.kind, !diff.changes, `the exported entry differs from the stack's inputs: ${JSON.stringify(mine[0])}`);
                    }
                }
                findings.assertEmpty();

                // The export's first up takes every entry over, ours and the foreign ones, reading each policy's list
                // and sending no write at all; its second up has nothing to do.
                const exported = await world.stack(configRepoProgram(dir), { stackName: "exported" });
                world.emulator.admin.clearLog();
                const adopted = await exported.up();
                assert.equal(adopted.summary.resourceChanges?.create, cases.length * 2 + 1, adopted.stdout);
                assert.deepEqual(world.writes().map(line), [], "the first up of the export sends no write");
                world.emulator.admin.clearLog();
                const again = await exported.up();
                assert.deepEqual(again.summary.resourceChanges, { same: cases.length * 2 + 1 }, again.stdout);
                assert.deepEqual(world.writes().map(line), []);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });

        it("finds an out-of-band change of every kind with preview --refresh --diff (no write) and repairs it on up", async () => {
            // The change sets the example's updated properties back to the example's inputs, as the portal would. A kind
            // whose example update replaces has no in-place change to undo (Windows 365 ids name the group): its entry is
            // removed instead.
            const removed = cases.filter((c) => diffInputs(c.description, c.inputs, c.updated).replaces.length > 0);
            for (const c of cases) {
                const entry = ours(c)[0]!;
                if (removed.includes(c)) {
                    world.emulator.admin.deleteAssignment(c.family.kind as PolicyKind, c.policyId, entry.id);
                    continue;
                }
                const graphForm = toGraphBody(c.description, c.inputs);
                const drift: Json = {};
                for (const key of Object.keys(c.description.example!.update)) {
                    const value = graphForm[key] ?? null;
                    // The admin edit merges target fields: fields the inputs do not have are cleared.
                    drift[key] = key === "target" && isObject(value)
                        ? { ...Object.fromEntries(Object.keys(entry.target).map((k) => [k, null])), ...value }
                        : value;
                }
                world.emulator.admin.mutateAssignment(c.family.kind as PolicyKind, c.policyId, entry.id, drift);
            }
            const desired = await stack("updated");
            world.emulator.admin.clearLog();
            // msgraph-assignments drift reads the state's resources back and names every kind's change, writing nothing.
            const drift = await detectDrift({ stack: desired });
            assert.equal(drift.exitCode, 2, drift.error);
            assert.equal(drift.report?.checked, cases.length);
            assert.deepEqual(world.writes(), [], "drift writes nothing");
            const drifted = new Findings();
            for (const c of cases) {
                const found = drift.report!.drifted.filter((d) => d.kind === c.kind);
                drifted.equal(c.kind, "drift reports of the kind", found.map((d) => d.status), [removed.includes(c) ? "deleted" : "changed"]);
                if (found.length !== 1 || removed.includes(c)) continue;
                for (const key of Object.keys(c.description.example!.update)) {
                    drifted.check(c.kind, found[0]!.changes.some((change) => change.property === key || change.property.startsWith(`${key}.`)), `drift does not name ${key}: ${JSON.stringify(found[0]!.changes)}`);
                }
            }
            drifted.assertEmpty();
            world.emulator.admin.clearLog();
            const preview = await desired.preview({ refresh: true, diff: true } as never);
            assert.deepEqual(world.writes(), [], "preview writes nothing");
            const planned = planOf(preview.stdout);
            const findings = new Findings();
            for (const c of cases) {
                const steps = planned.get(c.kind) ?? [];
                if (removed.includes(c)) {
                    findings.equal(c.kind, "what preview plans for the removed entry", steps.map((s) => s.op), ["create"]);
                    continue;
                }
                findings.equal(c.kind, "what preview plans", steps.map((s) => s.op), ["update"]);
                for (const key of Object.keys(c.description.example!.update)) {
                    findings.check(c.kind, steps.some((s) => s.lines.some((l) => new RegExp(`^\\s*[-+~] ${key}\\s*:`).test(l))), `preview's diff does not show ${key} changing:\n${steps.flatMap((s) => s.lines).join("\n")}`);
                }
            }
            findings.assertEmpty();
            assert.equal(preview.changeSummary.create ?? 0, removed.length, preview.stdout);
            assert.equal(preview.changeSummary.update ?? 0, cases.length - removed.length, preview.stdout);

            const idsBefore = new Map(cases.map((c) => [c.kind, ours(c)[0]?.id ?? ""]));
            world.emulator.admin.clearLog();
            const repaired = await (await stack("updated")).up({ refresh: true } as never);
            assert.equal(repaired.summary.result, "succeeded", repaired.stdout);
            const writes = world.writes();
            const repairs = new Findings();
            for (const c of cases) {
                const mine = writesOf(c, writes);
                const expected = removed.includes(c) ? [createRoute(c)] : changeRoutes(c, c.inputs, c.updated, idsBefore.get(c.kind)!);
                repairs.equal(c.kind, "writes of the repair", mine.map(line).sort(), expected);
                checkLive(repairs, c, c.updated);
            }
            repairs.assertEmpty();
        });

        it("deletes only its own entries on destroy, leaving every foreign entry as seeded", async () => {
            const before = new Map(cases.map((c) => [c.kind, ours(c)[0]?.id ?? ""]));
            world.emulator.admin.clearLog();
            const result = await (await stack("updated")).destroy();
            assert.equal(result.summary.resourceChanges?.delete, cases.length + 1, result.stdout);
            const writes = world.writes();
            const findings = new Findings();
            for (const c of cases) {
                findings.equal(c.kind, "writes of the destroy", writesOf(c, writes).map(line), [deleteRoute(c, before.get(c.kind)!)]);
                const assign = writesOf(c, writes).find((w) => w.path.endsWith("/assign"));
                if (assign !== undefined) {
                    const key = c.description.assignList?.bodyKey ?? "assignments";
                    const entries = (assign.body as Json)[key] as Json[];
                    findings.equal(c.kind, "entries posted to assign on destroy", entries.length, 1);
                    findings.none(c.kind, "the foreign entry posted back on destroy", differences(c.foreign, entries[0], "posted"));
                }
                checkLive(findings, c, undefined);
            }
            findings.assertEmpty();
        });
    });

    describe("a tenant that refuses item routes, under writeStrategy auto", () => {
        /** The kinds that try item routes first and can fall back: item create and an `assign` action. */
        const fallbackKinds = Object.values(descriptions).filter((d) => d.itemRoutes.create && d.assignList !== undefined);
        let cases: KindCase[];
        const stack = (version: "inputs" | "updated") => world.stack(program(cases, version), { stackName: "refused", config: { "msgraph:writeStrategy": "auto" } });

        before(() => {
            cases = seedCases(fallbackKinds, "Refused");
            world.emulator.admin.setFaults({ refuseItemRoutes: Object.fromEntries(cases.map((c) => [c.family.kind, true])) }, true);
        });
        after(() => {
            if (cases === undefined) return;
            world.emulator.admin.setFaults({ refuseItemRoutes: Object.fromEntries(cases.map((c) => [c.family.kind, false])) }, true);
        });

        /** Every write of the kind is a refused item route or a successful `assign`; `assigns` of the latter. */
        function checkFallback(findings: Findings, c: KindCase, writes: readonly Write[], phase: string, assigns: number): void {
            const mine = writesOf(c, writes);
            const refused = mine.filter((w) => !w.path.endsWith("/assign"));
            const viaAssign = mine.filter((w) => w.path.endsWith("/assign"));
            findings.check(c.kind, refused.length >= 1, `${phase}: no item route was tried first: ${JSON.stringify(mine.map(line))}`);
            findings.equal(c.kind, `${phase}: statuses of the item routes tried`, refused.map((w) => w.status), refused.map(() => 400));
            findings.equal(c.kind, `${phase}: successful assign posts`, viaAssign.filter(succeeded).map(line), Array.from({ length: assigns }, () => `POST ${route(c, c.description.paths.assign)}`));
            findings.check(c.kind, mine.indexOf(refused[0]!) < mine.indexOf(viaAssign[0]!), `${phase}: assign came before the refusal: ${JSON.stringify(mine.map(line))}`);
        }

        it("creates, updates and destroys every such kind through assign once its item route is refused", async () => {
            assert.ok(cases.length > 0, "no kind has item create and an assign action");
            world.emulator.admin.clearLog();
            const created = await (await stack("inputs")).up();
            assert.equal(created.summary.resourceChanges?.create, cases.length + 1, created.stdout);
            const findings = new Findings();
            for (const c of cases) {
                checkFallback(findings, c, world.writes(), "create", 1);
                checkLive(findings, c, c.inputs);
            }
            findings.assertEmpty();

            world.emulator.admin.clearLog();
            const updated = await (await stack("updated")).up();
            assert.equal(updated.summary.result, "succeeded", updated.stdout);
            for (const c of cases) {
                const replaces = diffInputs(c.description, c.inputs, c.updated).replaces.length > 0;
                checkFallback(findings, c, world.writes(), "update", replaces ? 2 : 1);
                checkLive(findings, c, c.updated);
            }
            findings.assertEmpty();

            world.emulator.admin.clearLog();
            const destroyed = await (await stack("updated")).destroy();
            assert.equal(destroyed.summary.resourceChanges?.delete, cases.length + 1, destroyed.stdout);
            for (const c of cases) {
                checkFallback(findings, c, world.writes(), "destroy", 1);
                checkLive(findings, c, undefined);
            }
            findings.assertEmpty();
        });
    });
});
