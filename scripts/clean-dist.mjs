#!/usr/bin/env node
// Removes dist/ before a build: tsc never deletes the output of a source that was deleted or moved, and a stale
// compiled test would still run (and a stale module would still ship in `npm pack`).
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

rmSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist"), { recursive: true, force: true });
