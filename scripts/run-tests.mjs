#!/usr/bin/env node
// Runs every compiled mocha test (unit, emulator, end-to-end) and ends with the plain line
// "N passed, N failed[, N skipped]" that CI reads; exits non-zero on any failure or when no test ran.
import { globSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Mocha from "mocha";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suites = ["unit", "emulator", "e2e"];
const only = process.argv.slice(2);
const files = suites
    .filter((suite) => only.length === 0 || only.includes(suite))
    .flatMap((suite) => globSync(`dist/test/${suite}/**/*.test.js`, { cwd: repoRoot }).sort())
    .map((file) => path.join(repoRoot, file));

const mocha = new Mocha({ reporter: "spec", timeout: 120_000, slow: 5_000 });
for (const file of files) mocha.addFile(file);
await mocha.loadFilesAsync();

let passed = 0;
let failed = 0;
let skipped = 0;
const runner = mocha.run();
runner.on("pass", () => passed++);
runner.on("fail", () => failed++);
runner.on("pending", () => skipped++);
runner.on("end", () => {
    console.log("");
    console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
    process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
