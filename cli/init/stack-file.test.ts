import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { memoryIo } from "../../test/memory-io.js";
import { UsageError } from "../exit-codes.js";
import { flagFor, renderStackFile, stackNameProblem, validateAnswers, type InitAnswers } from "./stack-file.js";
import { collectAnswers, splitEmails } from "./wizard.js";

const staging: InitAnswers = {
  stack: "qa", tier: "staging", primaryRegion: "eu-west-1", drStrategy: "pilot-light", drRegion: "eu-central-1",
  domain: "qa.shop.example.com", hostedZoneId: "Z0QAEXAMPLE000001", alarmEmails: ["oncall@example.com"], opsPrincipals: [], owner: "platform-team", costCenter: "CC-1001",
};

describe("the stack file init writes", () => {
  it("holds only the chosen keys under config, with a header naming the tier defaults", () => {
    const text = renderStackFile(staging);
    expect(text.startsWith("# Stack qa: tier staging in eu-west-1, pilot-light DR in eu-central-1.")).toBe(true);
    expect(text).toContain("`shopctl config show --stack qa`");
    expect(parse(text)).toEqual({
      config: {
        "shop:tier": "staging", "shop:primaryRegion": "eu-west-1", "shop:drStrategy": "pilot-light", "shop:drRegion": "eu-central-1",
        "shop:domain": "qa.shop.example.com", "shop:hostedZoneId": "Z0QAEXAMPLE000001",
        "shop:alarms": { emails: ["oncall@example.com"] }, "shop:tags": { owner: "platform-team", costCenter: "CC-1001" },
      },
    });
  });

  it("validates exactly as the program does, returning the resolved config", () => {
    const config = validateAnswers(staging, "stacks/Pulumi.qa.yaml");
    expect(config).toMatchObject({ tier: "staging", drRegion: "eu-central-1", database: { backupRetentionDays: 14 } });
  });

  it("reports each bad answer against the flag that sets it, and writes nothing (exit 2)", () => {
    const bad: InitAnswers = { ...staging, tier: "prod", drStrategy: "warm-standby", drRegion: "us-east-1", domain: undefined, alarmEmails: [], costCenter: " " };
    let caught: unknown;
    try {
      validateAnswers({ ...bad, dataResidency: "eu" }, "stacks/Pulumi.qa.yaml");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const message = (caught as UsageError).message;
    expect(message).toContain("stacks/Pulumi.qa.yaml: the answers make an invalid stack config; nothing was written.");
    expect(message).toContain("shop:domain (--domain): found nothing (the key is missing)");
    expect(message).toContain("shop:alarms.emails (--alarm-email): found []");
    expect(message).toContain("shop:drRegion (--dr-region): found \"us-east-1\"; expected a region allowed by dataResidency eu");
    expect(message).toContain("shop:tags.costCenter (--cost-center)");
    // prod's ops role trusts only named principals, and none was given.
    expect(message).toContain("shop:opsRole.trustedPrincipalArns (--ops-principal): found []; expected at least one role or user ARN");
    expect((caught as UsageError).details).toMatchObject({ issues: expect.arrayContaining([{ path: "shop:domain", flag: "--domain", found: null, expected: expect.any(String) as unknown }]) as unknown });
  });

  it("writes the ops role's principals, which a prod stack needs, and refuses an account root as one", () => {
    const prod: InitAnswers = { ...staging, tier: "prod", drStrategy: "warm-standby", opsPrincipals: ["arn:aws:iam::123456789012:role/ci-deploy"] };
    expect(validateAnswers(prod, "f")).toMatchObject({ opsRole: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ci-deploy"], allowAccountWithMfa: false } });
    expect(parse(renderStackFile(prod))).toMatchObject({ config: { "shop:opsRole": { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ci-deploy"] } } });
    expect(() => validateAnswers({ ...prod, opsPrincipals: ["arn:aws:iam::123456789012:root"] }, "f")).toThrow(/shop:opsRole\.trustedPrincipalArns\[0\] \(--ops-principal\).*not an account root/);
  });

  it.each(["Prod", "a_b", "-x", "x".repeat(31), ""])("refuses the stack name %j", (name) => {
    expect(stackNameProblem(name)).toMatch(/lower-case letters, digits and hyphens/);
    expect(() => validateAnswers({ ...staging, stack: name }, "f")).toThrow(/^--stack: /);
  });

  it("maps config paths to flags", () => {
    expect([flagFor("shop:tier"), flagFor("shop:alarms.emails[0]"), flagFor("shop:tags"), flagFor("shop:web.minSize")]).toEqual(["--tier", "--alarm-email", "--owner and --cost-center", undefined]);
  });
});

describe("collectAnswers without a terminal", () => {
  it("names every missing required flag", async () => {
    await expect(collectAnswers({ tier: "dev" }, memoryIo(), () => false, false)).rejects.toThrow(
      "shopctl init needs --stack, --primary-region, --owner, --cost-center when there is no terminal to ask on (CI or piped stdin)",
    );
  });

  it("takes the flags, the tier's DR strategy by default and every --alarm-email", async () => {
    const answers = await collectAnswers(
      { stack: "qa", tier: "staging", primaryRegion: "eu-west-1", drRegion: "eu-central-1", owner: "o", costCenter: "c", alarmEmail: ["a@example.com", "b@example.com, c@example.com"] },
      memoryIo(), () => false, false,
    );
    expect(answers).toMatchObject({ drStrategy: "pilot-light", alarmEmails: ["a@example.com", "b@example.com", "c@example.com"] });
  });

  it("takes every --ops-principal, comma-separated or repeated", async () => {
    const answers = await collectAnswers(
      { stack: "p", tier: "prod", primaryRegion: "eu-west-1", owner: "o", costCenter: "c", opsPrincipal: ["arn:aws:iam::123456789012:role/a, arn:aws:iam::123456789012:role/b", "arn:aws:iam::123456789012:user/c"] },
      memoryIo(), () => false, false,
    );
    expect(answers.opsPrincipals).toEqual(["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b", "arn:aws:iam::123456789012:user/c"]);
  });

  it("never prompts in CI even on a terminal", async () => {
    await expect(collectAnswers({}, memoryIo({ CI: "true" }, { stdinIsTty: true }), () => false, false)).rejects.toThrow(UsageError);
  });

  it("splits email lists on commas, semicolons and spaces", () => {
    expect(splitEmails(" a@x.io, b@x.io;c@x.io  d@x.io ")).toEqual(["a@x.io", "b@x.io", "c@x.io", "d@x.io"]);
  });
});
