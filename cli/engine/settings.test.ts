import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test/shopctl.js";
import { UsageError } from "../exit-codes.js";
import { backendKind, defaultBackendUrl, fileBackendPath, readProjectFile, resolveEngineSettings, resolveSecretsProvider, resolveState, s3Backend, shopctlHome } from "./settings.js";

describe("state settings", () => {
  it("keep state under $SHOPCTL_HOME/state, else ~/.shopctl/state", () => {
    expect(shopctlHome({ SHOPCTL_HOME: "/srv/shopctl" })).toBe("/srv/shopctl");
    expect(shopctlHome({})).toMatch(/\.shopctl$/);
    expect(defaultBackendUrl({ SHOPCTL_HOME: "/srv/shop ctl" })).toBe("file:///srv/shop%20ctl/state");
    expect(fileBackendPath(defaultBackendUrl({ SHOPCTL_HOME: "/srv/shop ctl" }))).toBe("/srv/shop ctl/state");
  });

  it("default to the local file backend with the passphrase provider", () => {
    expect(resolveState({}, { SHOPCTL_HOME: "/srv/x" })).toEqual({ backendUrl: "file:///srv/x/state", backendKind: "file", secretsProvider: "passphrase" });
  });

  it("recognise S3, Pulumi Cloud and other bucket backends", () => {
    expect(backendKind("s3://acme-state/shop?region=eu-west-1")).toBe("s3");
    expect(s3Backend("s3://acme-state/shop/prod?region=eu-west-1")).toEqual({ bucket: "acme-state", prefix: "shop/prod", region: "eu-west-1" });
    expect(s3Backend("s3://acme-state").region).toBeUndefined();
    expect(backendKind("https://api.pulumi.com")).toBe("cloud");
    expect(backendKind("gs://acme-state")).toBe("bucket");
    expect(fileBackendPath("file://~/state")).toMatch(/\/state$/);
  });

  it("use Pulumi Cloud's keys there unless a provider is named", () => {
    expect(resolveState({ backend: "https://api.pulumi.com" }, {}).secretsProvider).toBeUndefined();
    expect(resolveState({ backend: "https://api.pulumi.com", secretsProvider: "awskms://alias/x?region=eu-west-1" }, {}).secretsProvider).toBe("awskms://alias/x?region=eu-west-1");
  });

  it.each([
    ["ftp://state", /--backend ftp:\/\/state: expected file:\/\/PATH/],
    ["/tmp/state", /--backend \/tmp\/state: expected file:\/\/PATH/],
    ["s3://", /expected s3:\/\/BUCKET/],
  ])("refuse the backend %s with exit 2 and the accepted forms", (backend, message) => {
    expect(() => resolveState({ backend }, {})).toThrow(UsageError);
    expect(() => resolveState({ backend }, {})).toThrow(message);
  });

  it.each([
    ["vault", "file", /--secrets-provider vault: expected passphrase, awskms:\/\//],
    ["awskms://", "file", /expected passphrase/],
    ["default", "file", /only Pulumi Cloud has service-managed keys/],
  ] as const)("refuse the secrets provider %s with exit 2", (provider, kind, message) => {
    expect(() => resolveSecretsProvider(provider, kind)).toThrow(UsageError);
    expect(() => resolveSecretsProvider(provider, kind)).toThrow(message);
  });

  it("read the project name and stack config folder from Pulumi.yaml", () => {
    expect(readProjectFile(ROOT)).toEqual({ name: "shop-platform", stackConfigDir: "stacks" });
    const settings = resolveEngineSettings({ stack: "dev", stackFile: "stacks/Pulumi.dev.yaml", projectRoot: ROOT, flags: {}, env: { SHOPCTL_HOME: "/srv/x" } });
    expect(settings).toMatchObject({
      stack: "dev",
      project: "shop-platform",
      stackConfigDir: path.join(ROOT, "stacks"),
      policyPackDir: path.join(ROOT, "policies"),
      backendUrl: "file:///srv/x/state",
    });
    expect(path.isAbsolute(settings.stackFile)).toBe(true);
  });

  it("keep --local state, plugins and passphrase under $SHOPCTL_HOME/local", () => {
    const settings = resolveEngineSettings({ stack: "dev", stackFile: path.join(ROOT, "stacks", "Pulumi.dev.yaml"), projectRoot: ROOT, flags: { local: true }, env: { SHOPCTL_HOME: "/srv/x" } });
    expect(settings).toMatchObject({ backendUrl: "file:///srv/x/local/state", backendKind: "file", secretsProvider: "passphrase" });
    expect(settings.local).toEqual({ home: "/srv/x/local", stateDir: "/srv/x/local/state", pulumiHome: "/srv/x/local/pulumi-home", cloudDir: "/srv/x/local/cloud", passphraseFile: "/srv/x/local/passphrase", workDir: "/srv/x/local/workspace", stackFile: "/srv/x/local/workspace/stacks/Pulumi.dev.yaml" });
    expect(resolveEngineSettings({ stack: "dev", stackFile: path.join(ROOT, "stacks", "Pulumi.dev.yaml"), projectRoot: ROOT, flags: {}, env: {} }).local).toBeUndefined();
  });

  it("refuse --local with another backend or a cloud secrets provider", () => {
    expect(() => resolveState({ local: true, backend: "s3://acme-state?region=eu-west-1" }, { SHOPCTL_HOME: "/srv/x" })).toThrow(UsageError);
    expect(() => resolveState({ local: true, backend: "s3://acme-state?region=eu-west-1" }, { SHOPCTL_HOME: "/srv/x" })).toThrow(
      "--local keeps its state in a backend of its own (/srv/x/local/state); it cannot be combined with --backend s3://acme-state?region=eu-west-1 (or $SHOPCTL_BACKEND): drop one of them",
    );
    expect(() => resolveState({ local: true, secretsProvider: "awskms://alias/x?region=eu-west-1" }, {})).toThrow(/--local encrypts its secrets with a passphrase; --secrets-provider awskms:\/\/alias\/x\?region=eu-west-1/);
    expect(resolveState({ local: true, secretsProvider: "passphrase" }, { SHOPCTL_HOME: "/srv/x" }).secretsProvider).toBe("passphrase");
  });
});
