import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { createGzip } from "node:zlib";

/** 1980-01-01: every entry gets this time, so the archive does not depend on when files were written. */
const FIXED_MTIME = "@315532800";

function assertGnuTar(): void {
  const version = spawnSync("tar", ["--version"], { encoding: "utf8" });
  if (version.error !== undefined || !version.stdout.includes("GNU tar")) {
    throw new Error("building the artifact needs GNU tar (for --sort=name and fixed owners and times); on macOS install gnu-tar and put it first on PATH");
  }
}

/**
 * A reproducible .tar.gz of `dir`: entries sorted by name, one fixed time, owner root, modes
 * normalized to 0644/0755, gzip without a name or time in its header. Returns the SHA-256.
 */
export async function writeArchive(dir: string, file: string): Promise<{ sha256: string; bytes: number }> {
  assertGnuTar();
  const tar = spawn("tar", [
    "--sort=name", `--mtime=${FIXED_MTIME}`, "--owner=0", "--group=0", "--numeric-owner", "--mode=u=rwX,go=rX",
    "--format=gnu", "-cf", "-", "-C", dir, ".",
  ], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  tar.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<void>((resolve, reject) => {
    tar.on("error", reject);
    tar.on("close", (code) => { if (code === 0) resolve(); else reject(new Error(`tar exited with ${String(code)}: ${stderr.trim()}`)); });
  });
  const hash = createHash("sha256");
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  // Node's gzip writes no file name and a zero time into the header.
  await Promise.all([pipeline(tar.stdout, createGzip({ level: 9 }), measure, createWriteStream(file)), exited]);
  return { sha256: hash.digest("hex"), bytes };
}
