import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { externalPackages, packageName } from "./bundle.js";
import { dependencyClosure, shipsFile } from "./dependencies.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

describe("the artifact's packages", () => {
  it("name packages from import specifiers", () => {
    expect(packageName("@aws-sdk/client-ssm")).toBe("@aws-sdk/client-ssm");
    expect(packageName("@opensearch-project/opensearch/aws-v3")).toBe("@opensearch-project/opensearch");
    expect(packageName("pg")).toBe("pg");
    expect(packageName("node:fs")).toBeUndefined();
    expect(packageName("./app.js")).toBeUndefined();
  });

  it("take the external imports of a bundle, once each, sorted", () => {
    const metafile = {
      inputs: {
        "a.ts": { bytes: 1, imports: [{ path: "pg", kind: "import-statement", external: true }, { path: "./b.ts", kind: "import-statement" }, { path: "node:fs", kind: "import-statement", external: true }] },
        "b.ts": { bytes: 1, imports: [{ path: "fastify", kind: "import-statement", external: true }, { path: "pg", kind: "import-statement", external: true }] },
      },
      outputs: {},
    } as unknown as Metafile;
    expect(externalPackages(metafile)).toEqual(["fastify", "pg"]);
  });

  it("resolve a package's runtime dependencies as Node would", async () => {
    const closure = await dependencyClosure(["pg"], ROOT);
    const names = closure.map((item) => item.name);
    expect(names).toEqual(expect.arrayContaining(["pg", "pg-pool", "pg-protocol", "pg-types", "pg-connection-string"]));
    expect(new Set(closure.map((item) => item.dir)).size).toBe(closure.length);
    expect(closure.every((item) => item.dir.startsWith("node_modules"))).toBe(true);
  });

  it("fail clearly when a needed package is not installed", async () => {
    await expect(dependencyClosure(["no-such-package-xyz"], ROOT)).rejects.toThrow("the artifact needs no-such-package-xyz (from the app), which is not installed: run npm ci");
  });

  it("ship what runs, not declarations, maps, TypeScript sources or nested installs", () => {
    expect(shipsFile("lib/index.js")).toBe(true);
    expect(shipsFile("package.json")).toBe(true);
    expect(shipsFile("LICENSE")).toBe(true);
    expect(shipsFile("index.d.ts")).toBe(false);
    expect(shipsFile("dist/index.d.mts")).toBe(false);
    expect(shipsFile("dist/index.js.map")).toBe(false);
    expect(shipsFile("src/index.ts")).toBe(false);
    expect(shipsFile(path.join("node_modules", "x", "index.js"))).toBe(false);
  });
});
