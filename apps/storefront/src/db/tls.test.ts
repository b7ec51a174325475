import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseTls } from "./tls.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "storefront-tls-"));

describe("databaseTls", () => {
  it("verify-full checks the certificate against the bundle, TLS 1.2 at least", () => {
    const file = path.join(dir, "bundle.pem");
    writeFileSync(file, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    expect(databaseTls("verify-full", file)).toEqual({ rejectUnauthorized: true, ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", minVersion: "TLSv1.2" });
  });

  it("require encrypts without checking; disable is plain TCP", () => {
    expect(databaseTls("require", undefined)).toEqual({ rejectUnauthorized: false, minVersion: "TLSv1.2" });
    expect(databaseTls("disable", undefined)).toBe(false);
  });

  it("verify-full without a bundle names DATABASE_CA_FILE", () => {
    expect(() => databaseTls("verify-full", undefined)).toThrow(/DATABASE_TLS=verify-full needs the RDS CA bundle: set DATABASE_CA_FILE/);
  });

  it("a bundle that cannot be read or holds no certificate is refused", () => {
    expect(() => databaseTls("verify-full", path.join(dir, "missing.pem"))).toThrow(/DATABASE_CA_FILE .*missing.pem cannot be read/);
    const empty = path.join(dir, "empty.pem");
    writeFileSync(empty, "not a certificate");
    expect(() => databaseTls("verify-full", empty)).toThrow(/holds no PEM certificate/);
  });
});
