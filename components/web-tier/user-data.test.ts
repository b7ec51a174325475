import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { renderUserData, shellQuote, USER_DATA_LIMIT_BYTES, type UserDataSpec } from "./user-data.js";

const SPEC: UserDataSpec = {
  name: "web",
  region: "eu-west-1",
  dnsSuffix: "amazonaws.com",
  appPort: 8080,
  tlsToTargets: false,
  appEntrypoint: "dist/server.js",
  artifact: { bucket: "shop-prod-artifacts", key: "releases/store front's build.tar.gz", versionId: "v1.abc", revision: "build-7" },
  runtimeParameters: {
    databaseEndpoint: "/shop/prod/runtime/database-endpoint",
    databaseSecretArn: "/shop/prod/runtime/database-secret-arn",
    searchEndpoint: "/shop/prod/runtime/search-endpoint",
    searchIndexAlias: "/shop/prod/runtime/search-index-alias",
  },
  appLogGroupName: "/shop/prod/web/app",
  metricsNamespace: "Shop/WebTier",
};

interface CloudConfig {
  write_files: { path: string; content: string; permissions: string }[];
}

const scratch = mkdtempSync(join(tmpdir(), "user-data-"));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function filesOf(text: string): CloudConfig["write_files"] {
  return (parseYaml(text) as CloudConfig).write_files;
}

describe("renderUserData", () => {
  it("is a cloud-config document that YAML (what cloud-init reads) parses to the same structure as JSON", () => {
    const text = renderUserData(SPEC);
    expect(text.split("\n")[0]).toBe("#cloud-config");
    const json = JSON.parse(text.split("\n").filter((line) => !line.startsWith("#")).join("\n")) as unknown;
    expect(parseYaml(text)).toEqual(json);
  });

  it("writes scripts that bash accepts", () => {
    const scripts = filesOf(renderUserData(SPEC)).filter((file) => file.content.startsWith("#!/bin/bash"));
    expect(scripts.map((file) => file.path)).toEqual([
      "/usr/local/libexec/shop/bootstrap",
      "/usr/local/libexec/shop/install-artifact",
      "/usr/local/libexec/shop/fetch-runtime-env",
    ]);
    for (const file of scripts) {
      const path = join(scratch, file.path.split("/").at(-1)!);
      writeFileSync(path, file.content);
      expect(() => execFileSync("bash", ["-n", path], { stdio: "pipe" })).not.toThrow();
      expect(file.permissions).toBe("0755");
    }
  });

  it("quotes an artifact key with spaces and quotes as one word", () => {
    const install = filesOf(renderUserData(SPEC)).find((file) => file.path.endsWith("install-artifact"))!.content;
    const line = install.split("\n").find((candidate) => candidate.startsWith("aws s3api get-object"))!;
    // Let bash split the line into words, as it will on the instance.
    const words = execFileSync("bash", ["-c", `printf '%s\\n' ${line.replace(/ "\$archive" >\/dev\/null$/, "")}`], { encoding: "utf8" }).trimEnd().split("\n");
    expect(words).toEqual(["aws", "s3api", "get-object", "--bucket", "shop-prod-artifacts", "--key", "releases/store front's build.tar.gz", "--version-id", "v1.abc"]);
  });

  // systemd-analyze is not on every test machine (containers have no systemd); where it is, the
  // unit is verified for real. The unit's content is asserted by the tests above either way.
  const systemdAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;
  it.skipIf(!systemdAnalyze)("writes a unit systemd understands (every key known)", () => {
    const unit = filesOf(renderUserData(SPEC)).find((file) => file.path === "/etc/systemd/system/storefront.service")!;
    const path = join(scratch, "storefront.service");
    writeFileSync(path, unit.content);
    const result = spawnSync("systemd-analyze", ["verify", path], { encoding: "utf8" });
    const complaints = `${result.stdout}${result.stderr}`.split("\n").filter((line) => line !== "" && !/is not executable|No such file/.test(line));
    expect(complaints).toEqual([]);
  });

  it("records the artifact and its revision", () => {
    const text = renderUserData(SPEC);
    expect(text.split("\n")[1]).toBe('# shop-platform web tier web; artifact revision "build-7"');
    const record = filesOf(text).find((file) => file.path === "/etc/shop/artifact")!;
    expect(JSON.parse(record.content)).toEqual(SPEC.artifact);
  });

  it("refuses user data over EC2's 16 KiB", () => {
    const long = `/shop/${"x".repeat(3000)}`;
    const spec = { ...SPEC, runtimeParameters: { databaseEndpoint: long, databaseSecretArn: long, searchEndpoint: long, searchIndexAlias: long } };
    expect(() => renderUserData(spec)).toThrow(new RegExp(`^WebTier "web": the user data is \\d+ bytes; EC2 allows ${USER_DATA_LIMIT_BYTES}`));
  });
});

describe("renderUserData with tlsToTargets", () => {
  const scriptOf = (spec: UserDataSpec, name: string) => filesOf(renderUserData(spec)).find((file) => file.path.endsWith(`/${name}`))!.content;
  const TLS = { ...SPEC, tlsToTargets: true };

  it("generates no certificate and passes no TLS paths when off", () => {
    const text = renderUserData(SPEC);
    expect(text).not.toMatch(/openssl|TLS_CERT_FILE|TLS_KEY_FILE|\/etc\/shop\/tls/);
    expect((parseYaml(text) as { packages: string[] }).packages).toEqual(["nodejs20", "amazon-cloudwatch-agent"]);
  });

  it("generates a self-signed key and certificate at boot, before the app starts, in a root-owned dir the app's group reads", () => {
    expect((parseYaml(renderUserData(TLS)) as { packages: string[] }).packages).toContain("openssl");
    const bootstrap = scriptOf(TLS, "bootstrap").split("\n");
    const openssl = bootstrap.findIndex((line) => line.includes("openssl req -x509"));
    expect(openssl).toBeGreaterThan(bootstrap.findIndex((line) => line.startsWith("id -u storefront")));
    expect(openssl).toBeLessThan(bootstrap.findIndex((line) => line.startsWith("systemctl enable")));
    expect(bootstrap).toContain("install -d -o root -g storefront -m 0750 /etc/shop/tls");
    expect(bootstrap).toContain("chown root:storefront /etc/shop/tls/key.pem /etc/shop/tls/cert.pem && chmod 0640 /etc/shop/tls/key.pem && chmod 0644 /etc/shop/tls/cert.pem");
  });

  const openssl = spawnSync("openssl", ["version"]).status === 0;
  it.skipIf(!openssl)("runs an openssl command that writes a PEM key and certificate", () => {
    const dir = join(scratch, "tls");
    const line = scriptOf(TLS, "bootstrap").split("\n").find((candidate) => candidate.includes("openssl req -x509"))!;
    execFileSync("bash", ["-euo", "pipefail", "-c", `mkdir -p ${dir} && ${line.replaceAll("/etc/shop/tls", dir)}`], { stdio: "pipe" });
    const subject = execFileSync("openssl", ["x509", "-in", join(dir, "cert.pem"), "-noout", "-subject"], { encoding: "utf8" });
    expect(subject).toMatch(/CN ?= ?storefront/);
    execFileSync("openssl", ["pkey", "-in", join(dir, "key.pem"), "-noout"], { stdio: "pipe" });
  });

  it("puts the certificate's and key's paths in the app's environment file", () => {
    const fetch = scriptOf(TLS, "fetch-runtime-env");
    const line = fetch.split("\n").find((candidate) => candidate.includes("TLS_CERT_FILE"))!;
    // The lines between { and } > "$target.tmp" are what the environment file holds.
    expect(fetch.indexOf(line)).toBeLessThan(fetch.indexOf('} > "$target.tmp"'));
    expect(execFileSync("bash", ["-c", line], { encoding: "utf8" })).toBe("TLS_CERT_FILE=/etc/shop/tls/cert.pem\nTLS_KEY_FILE=/etc/shop/tls/key.pem\n");
    expect(scriptOf(SPEC, "fetch-runtime-env")).not.toContain("TLS_");
  });
});

describe("shellQuote", () => {
  it.each(["plain", "with space", "it's", "$(rm -rf /)", "`id`", "a\nb", ""])("keeps %j one literal word", (value) => {
    expect(execFileSync("bash", ["-c", `printf '%s' ${shellQuote(value)}`], { encoding: "utf8" })).toBe(value);
  });
});
