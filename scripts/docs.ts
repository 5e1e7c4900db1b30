/** `npm run docs`: writes the generated reference pages and the README's resource table. */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./pulumiEnvironment";
import { generateDocs } from "./docs/generate";

let written = 0;
for (const [relative, content] of generateDocs(repoRoot)) {
    const file = path.join(repoRoot, relative);
    if (existsSync(file) && readFileSync(file, "utf8") === content) continue;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    written++;
    console.log(`wrote ${relative}`);
}
console.log(`docs: ${written} file(s) written`);
