/** Crash-safe file replacement, used for the data file and renewed certificates. */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";

/** Writes a file so readers see either the old or the new content: temp file, fsync, rename. */
export function writeFileAtomic(file: string, content: string, mode = 0o644): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const fd = fs.openSync(tmp, "w", mode);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
