/**
 * The generated reference docs: committed pages match what `npm run docs` produces now, each page's TypeScript
 * example type-checks against the SDK, and its YAML example loads through the config-repository loader.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { loadConfigRepo } from "../../cli/configRepo";
import { descriptions } from "../../provider/model";
import { repoRoot } from "../../scripts/pulumiEnvironment";
import { generateDocs, TABLE_END, TABLE_START } from "../../scripts/docs/generate";
import { referenceExample, typescriptExample, yamlExample } from "../../scripts/docs/resourcePage";

/** The fenced block of `language` in a page (the `nth`, counting from 0). */
function fenced(page: string, language: string, nth = 0): string {
    const blocks = [...page.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))];
    assert.ok(blocks[nth], `no ${language} example number ${nth + 1}`);
    return blocks[nth]![1]!;
}

/** TypeScript diagnostics of `files`, with the package name resolved to the built SDK as a user's install would. */
function typeCheck(files: readonly string[]): string[] {
    const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2023,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        types: [],
        typeRoots: [path.join(repoRoot, "node_modules", "@types")],
        paths: { "pulumi-msgraph-assignments": [path.join(repoRoot, "dist", "sdk", "index.d.ts")] },
    });
    return ts
        .getPreEmitDiagnostics(program)
        .map((d) => `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("generated reference docs", () => {
    const generated = generateDocs(repoRoot);
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it("the committed pages and the README's resource table are what npm run docs writes", () => {
        const stale: string[] = [];
        for (const [relative, content] of generated) {
            let committed = "";
            try {
                committed = readFileSync(path.join(repoRoot, relative), "utf8");
            } catch {
                // a missing page is stale too
            }
            if (committed !== content) stale.push(relative);
        }
        assert.deepEqual(stale, [], `stale or missing: ${stale.join(", ")}; run npm run docs`);
    });

    it("the README carries the resource table between its markers, one row per kind", () => {
        const readme = generated.get("README.md")!;
        const table = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END));
        assert.ok(readme.includes(TABLE_START) && readme.includes(TABLE_END), "README has no resource-table markers; run npm run docs after adding them");
        for (const kind of Object.keys(descriptions)) assert.ok(table.includes(`(docs/resources/${kind}.md)`), `no row for ${kind}`);
    });

    it("every page's TypeScript examples (a new resource and a get) type-check against the SDK", function () {
        this.timeout(120000);
        const dir = mkdtempSync(path.join(os.tmpdir(), "docs-examples-"));
        dirs.push(dir);
        const files = Object.values(descriptions).flatMap((d) => {
            const page = generated.get(path.join("docs", "resources", `${d.kind}.md`))!;
            const examples = [typescriptExample(d), referenceExample(d)];
            return examples.map((expected, i) => {
                const code = fenced(page, "typescript", i);
                assert.equal(code, expected);
                const file = path.join(dir, `${d.kind}-${i}.ts`);
                writeFileSync(file, code);
                return file;
            });
        });
        const problems = typeCheck(files);
        assert.deepEqual(problems, []);
    });

    for (const d of Object.values(descriptions)) {
        it(`${d.kind}: the YAML example loads through the config-repository loader with no errors`, () => {
            const page = generated.get(path.join("docs", "resources", `${d.kind}.md`))!;
            const text = fenced(page, "yaml");
            assert.equal(text, yamlExample(d));
            const dir = mkdtempSync(path.join(os.tmpdir(), "docs-yaml-"));
            dirs.push(dir);
            mkdirSync(path.join(dir, "assignments"));
            writeFileSync(path.join(dir, "assignments", "example.yaml"), text);
            const repo = loadConfigRepo(dir);
            assert.deepEqual(repo.errors, []);
            assert.equal(repo.entries.length, 1);
            assert.equal(repo.entries[0]!.kind, d.kind);
        });
    }

    it("the README's TypeScript example type-checks and its config-repo example loads", function () {
        this.timeout(120000);
        const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
        const dir = mkdtempSync(path.join(os.tmpdir(), "docs-readme-"));
        dirs.push(dir);
        writeFileSync(path.join(dir, "program.ts"), fenced(readme, "ts"));
        assert.deepEqual(typeCheck([path.join(dir, "program.ts")]), []);
        mkdirSync(path.join(dir, "assignments"));
        writeFileSync(path.join(dir, "assignments", "baseline.yaml"), fenced(readme, "yaml"));
        const repo = loadConfigRepo(dir);
        assert.deepEqual(repo.errors, []);
        assert.ok(repo.entries.length >= 2);
    });
});
