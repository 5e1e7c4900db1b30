/**
 * No module of the package imports itself back through others, type-only imports included: a cycle means two
 * modules share a job, or that shared types want a module of their own.
 */
import assert from "node:assert/strict";
import { globSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../scripts/pulumiEnvironment";

const SOURCE_DIRS = ["provider", "sdk", "cli", "emulator", "policy", "scripts", "bench"];
/** `import … from "./x"`, `export … from "../y"`, `import("./z")`: relative specifiers only (packages can't cycle back). */
const RELATIVE_SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** The .ts file a relative specifier names (with or without `.js`, or a folder's index). */
function resolveSpecifier(fromFile: string, specifier: string, files: ReadonlySet<string>): string | undefined {
    const base = path.resolve(path.dirname(fromFile), specifier.replace(/\.js$/, ""));
    return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => files.has(candidate));
}

function importGraph(): Map<string, string[]> {
    const files = new Set(SOURCE_DIRS.flatMap((dir) => globSync(`${dir}/**/*.ts`, { cwd: repoRoot }).map((f) => path.join(repoRoot, f))));
    const graph = new Map<string, string[]>();
    for (const file of files) {
        const text = readFileSync(file, "utf8");
        const targets = [...text.matchAll(RELATIVE_SPECIFIER)]
            .map((m) => resolveSpecifier(file, m[1]!, files))
            .filter((t): t is string => t !== undefined);
        graph.set(file, [...new Set(targets)]);
    }
    return graph;
}

/** One cycle per strongly connected group found by depth-first search, as repo-relative paths. */
function findCycles(graph: Map<string, string[]>): string[][] {
    const cycles: string[][] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (node: string): void => {
        state.set(node, "open");
        stack.push(node);
        for (const next of graph.get(node) ?? []) {
            if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(repoRoot, f)));
            else if (!state.has(next)) visit(next);
        }
        stack.pop();
        state.set(node, "done");
    };
    for (const node of graph.keys()) if (!state.has(node)) visit(node);
    return cycles;
}

describe("module imports", () => {
    it("finds a cycle when there is one (the detector itself)", () => {
        const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
        assert.equal(findCycles(graph).length, 1);
    });

    it("have no cycle in the package's sources", () => {
        const graph = importGraph();
        assert.ok(graph.size > 100, `expected the package's modules, found ${graph.size}`);
        const cycles = findCycles(graph);
        assert.deepEqual(cycles.map((c) => c.join(" → ")), []);
    });
});
