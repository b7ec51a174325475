import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { ROOT, shopctl } from "../../../test/shopctl.js";

const EXPORT = "policies/fixtures/misconfigured.export.json";
const PREVIEW = "policies/fixtures/preview.json";
const DEV_PREVIEW = "policies/fixtures/dev-first-deploy.preview.json";
const JUNIT_XSD = readFileSync(new URL("fixtures/junit.xsd", import.meta.url), "utf8");

/** The JUnit report against the common JUnit schema (fixtures/junit.xsd), with xmllint's errors. */
async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [{ fileName: "junit.xsd", contents: JUNIT_XSD }] });
  return result.errors.map((error) => error.rawMessage);
}

interface Violation {
  stack?: string;
  policy: string;
  enforcementLevel: string;
  severity: string | null;
  urn: string;
  resourceType: string;
  resourceName: string;
  message: string;
}
interface NotEvaluatedEntry extends Violation {
  property: string;
}
interface Summary {
  resources: number;
  mandatory: number;
  advisory: number;
  notEvaluated: number;
  notEvaluatedMandatory: number;
}
interface Document {
  policies: { name: string; enforcementLevel: string; severity: string }[];
  violations: Violation[];
  notEvaluated: NotEvaluatedEntry[];
  summary: Summary;
  stacks?: { stack: string; summary: Summary }[];
}

const parse = (stdout: string) => JSON.parse(stdout) as Document;
const pairs = (document: Document) => document.violations.map((violation) => `${violation.policy} ${violation.resourceName}`);

describe("shopctl policy (the built binary, spawned)", () => {
  let scratch = "";
  beforeAll(async () => { scratch = await mkdtemp(path.join(tmpdir(), "shopctl-policy-")); });
  afterAll(async () => { await rm(scratch, { recursive: true, force: true }); });

  it("is listed in shopctl --help, and its help shows --stack, --json and examples", async () => {
    expect((await shopctl(["--help"])).stdout).toMatch(/policy\s+evaluate the shop-guardrails policy pack/);
    for (const command of [["policy", "check"], ["policy", "config"]]) {
      const help = await shopctl([...command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("--stack <name>");
      expect(help.stdout).toContain("--json");
      expect(help.stdout).toContain("Examples:");
    }
  });

  describe("a `pulumi stack export` file with misconfigured resources, end to end", () => {
    it("exits 1 and prints one JSON document naming each mandatory violation", async () => {
      const result = await shopctl(["policy", "check", "--from-export", EXPORT, "--format", "json"]);
      expect(result.code).toBe(1);
      const document = parse(result.stdout);
      expect(document.policies.length).toBeGreaterThanOrEqual(40);
      expect(document.policies[0]).toEqual({ name: expect.any(String) as unknown, enforcementLevel: expect.stringMatching(/^(mandatory|advisory|disabled)$/) as unknown, severity: expect.any(String) as unknown });
      expect(pairs(document)).toEqual(expect.arrayContaining([
        "s3-public-access-blocked assets", "s3-sse-kms-customer-key assets", "rds-not-public catalog-db", "rds-encrypted-customer-key catalog-db",
        "sg-no-world-ingress web", "sg-no-admin-ports web", "ec2-imdsv2-required web", "ec2-no-secrets-in-user-data web",
        "cloudfront-viewer-https cdn", "cloudfront-web-acl cdn", "log-group-retention app", "kms-key-rotation data",
        "kms-no-wildcard-principal data", "iam-no-wildcard-admin ops", "backup-selection-covers-database shop-platform-prod",
      ]));
      const database = document.violations.find((violation) => violation.policy === "rds-not-public");
      expect(database).toEqual({
        policy: "rds-not-public", enforcementLevel: "mandatory", severity: "critical",
        urn: "urn:pulumi:prod::shop-platform::shop:data:Database$aws:rds/instance:Instance::catalog-db",
        resourceType: "aws:rds/instance:Instance", resourceName: "catalog-db", message: "The instance is publicly accessible.",
      });
      expect(document.summary).toEqual({
        resources: 12,
        mandatory: document.violations.filter((violation) => violation.enforcementLevel === "mandatory").length,
        advisory: document.violations.filter((violation) => violation.enforcementLevel === "advisory").length,
        notEvaluated: 0,
        notEvaluatedMandatory: 0,
      });
      expect(document.notEvaluated).toEqual([]);
      // The pending deletion is not judged, and no secret (or its ciphertext) reaches the report.
      expect(result.stdout).not.toContain("old-exports");
      expect(result.stdout).not.toContain("ciphertext");
      expect(result.stdout).not.toContain("AKIAIOSFODNN7EXAMPLE");
    });

    it("text output groups findings by resource and shows how to fix each", async () => {
      const result = await shopctl(["policy", "check", "--from-export", EXPORT]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/aws:rds\/instance:Instance "catalog-db"\n {2}urn:pulumi:prod::shop-platform::shop:data:Database\$aws:rds\/instance:Instance::catalog-db\n/);
      expect(result.stdout).toMatch(/MANDATORY critical rds-not-public: The instance is publicly accessible\.\n {4}fix: Set publiclyAccessible: false/);
      expect(result.stdout).toMatch(/FAIL {2}policies\/fixtures\/misconfigured\.export\.json: \d+ mandatory and \d+ advisory violation\(s\) in 12 resources\n$/);
    });

    it("applies a --config file: allowed regions, and a policy turned off", async () => {
      const config = path.join(scratch, "residency.json");
      await writeFile(config, JSON.stringify({ "data-residency": { allowedRegions: ["eu-central-1"] }, "rds-not-public": "disabled" }));
      const document = parse((await shopctl(["policy", "check", "--from-export", EXPORT, "--config", config, "--json"])).stdout);
      expect(pairs(document)).toEqual(expect.arrayContaining(["data-residency assets", "data-residency catalog-db", "data-residency app"]));
      expect(document.violations.find((violation) => violation.policy === "data-residency" && violation.resourceName === "assets")?.message).toMatch(/is in eu-west-1, outside the allowed regions \(eu-central-1\)/);
      expect(pairs(document)).not.toContain("rds-not-public catalog-db");
      expect(document.policies.find((policy) => policy.name === "rds-not-public")?.enforcementLevel).toBe("disabled");
    });

    it("writes SARIF 2.1.0 with one rule per policy, levels from severity and help from the remediation", async () => {
      const output = path.join(scratch, "policy.sarif");
      const result = await shopctl(["policy", "check", "--from-export", EXPORT, "--format", "sarif", "--output", output]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/sarif report written to .*policy\.sarif/);
      const sarif = JSON.parse(await readFile(output, "utf8")) as {
        version: string;
        runs: { tool: { driver: { name: string; rules: { id: string; help: { text: string }; defaultConfiguration: { level: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
      };
      expect(sarif.version).toBe("2.1.0");
      const [run] = sarif.runs;
      expect(run?.tool.driver.name).toBe("shop-guardrails");
      const rules = run?.tool.driver.rules ?? [];
      expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
      expect(rules.find((rule) => rule.id === "rds-not-public")).toMatchObject({ defaultConfiguration: { level: "error" }, help: { text: expect.stringContaining("publiclyAccessible: false") as unknown } });
      const result0 = run?.results.find((item) => item.ruleId === "log-group-retention");
      expect(result0?.level).toBe("warning");
      expect(rules[result0?.ruleIndex ?? -1]?.id).toBe("log-group-retention");
      expect(result0?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(EXPORT);
    });

    it("writes JUnit with one test case per policy and resource type", async () => {
      const output = path.join(scratch, "policy.xml");
      expect((await shopctl(["policy", "check", "--from-export", EXPORT, "--format", "junit", "--output", output])).code).toBe(1);
      const xml = await readFile(output, "utf8");
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="shop-guardrails" tests="\d+" failures="\d+"/);
      expect(xml).toMatch(/<testcase classname="rds-not-public" name="aws:rds\/instance:Instance">\n {6}<failure type="mandatory" message="The instance is publicly accessible\.">/);
      expect(xml).toContain(`<testcase classname="kms-key-rotation" name="aws:kms/key:Key">`);
      expect(xml).toMatch(/<testcase classname="rds-cross-region-replica" name="\(not applicable\)">\n {6}<skipped message="the stack has no DR region/);
      expect(xml.match(/<testcase /g)?.length).toBe(Number(/<testsuites [^>]*tests="(\d+)"/.exec(xml)?.[1]));
      expect(await junitSchemaErrors(xml)).toEqual([]);
    });
  });

  it("a preview's unknown values leave policies not evaluated, not violated; known violations still fail", async () => {
    const result = await shopctl(["policy", "check", "--from-preview", PREVIEW, "--json"]);
    expect(result.code).toBe(1);
    const document = parse(result.stdout);
    expect(pairs(document)).toContain("rds-not-public catalog");
    expect(document.violations.filter((violation) => violation.message.includes("during preview"))).toEqual([]);
    expect(document.notEvaluated.map((entry) => `${entry.policy}:${entry.enforcementLevel}:${entry.property}`)).toEqual(expect.arrayContaining(["rds-encrypted-customer-key:mandatory:.kmsKeyId", "s3-public-access-blocked:mandatory:.bucket"]));
    expect(pairs(document)).not.toContain("sns-topic-encryption legacy");
  });

  describe("a first deployment's `pulumi preview --json` of the dev stack (every id and ARN unknown)", () => {
    const args = ["policy", "check", "--from-preview", DEV_PREVIEW, "--config", "policies/config/dev.json"];

    it("reports only what the values known at plan time violate; the rest is not evaluated, and passes", async () => {
      const result = await shopctl([...args, "--json"]);
      expect(result.code).toBe(0);
      const document = parse(result.stdout);
      expect(document.summary).toMatchObject({ resources: 150, mandatory: 0, advisory: document.violations.length, notEvaluated: document.notEvaluated.length });
      expect(document.violations.filter((violation) => violation.message.includes("during preview"))).toEqual([]);
      // Advisories of dev's design (see docs/ci-and-policy.md), no more. Of the offline check's
      // others, alb-https-only reads an ARN the preview does not know (so it is not evaluated), and
      // cloudfront-origin-https sees the distribution's origins as "[secret]", as a preview prints them.
      expect(document.violations.map((violation) => violation.policy).sort()).toEqual([
        "alb-deletion-protection", "cloudfront-custom-certificate", "opensearch-dedicated-masters", "opensearch-zone-awareness", "rds-deletion-protection", "rds-multi-az", "target-group-https",
      ]);
      expect(document.notEvaluated).toEqual(expect.arrayContaining([
        expect.objectContaining({ policy: "rds-encrypted-customer-key", enforcementLevel: "mandatory", resourceType: "aws:rds/instance:Instance", resourceName: "dev-primary-db-instance", property: ".kmsKeyId" }),
        expect.objectContaining({ policy: "s3-public-access-blocked", enforcementLevel: "mandatory" }),
        expect.objectContaining({ policy: "sg-no-world-ingress", enforcementLevel: "mandatory" }),
      ]));
      expect(document.summary.notEvaluatedMandatory).toBe(document.notEvaluated.filter((entry) => entry.enforcementLevel === "mandatory").length);
      expect(result.stderr).toMatch(/policy check: 0 mandatory and 7 advisory violation\(s\) in 150 resources; \d+ check\(s\) not evaluated \(\d+ of a mandatory policy: run shopctl policy check --stack dev, or --from-export after the deployment\)/);
    });

    it("text has a not-evaluated section and says how to check what the preview could not", async () => {
      const result = await shopctl(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/\nnot evaluated \(a value is unknown until the update\): \d+ check\(s\), \d+ of a mandatory policy\n/);
      expect(result.stdout).toMatch(/ {4}mandatory rds-encrypted-customer-key: \.kmsKeyId\n/);
      expect(result.stdout).toMatch(/shopctl policy check --stack dev/);
      expect(result.stdout).not.toContain("can't run policy");
    });

    it("JUnit skips the cases it could not evaluate and validates against the JUnit schema", async () => {
      const output = path.join(scratch, "preview.xml");
      expect((await shopctl([...args, "--format", "junit", "--output", output])).code).toBe(0);
      const xml = await readFile(output, "utf8");
      expect(xml).toMatch(/<testcase classname="rds-encrypted-customer-key" name="aws:rds\/instance:Instance">\n {6}<skipped message="not evaluated: dev-primary-db-instance: \.kmsKeyId can&apos;t be known until the update/);
      expect(xml).not.toContain("<failure");
      expect(await junitSchemaErrors(xml)).toEqual([]);
    });

    it("SARIF marks them kind open, level none", async () => {
      const sarif = JSON.parse((await shopctl([...args, "--format", "sarif"])).stdout) as { runs: { results: { ruleId: string; kind?: string; level: string }[] }[] };
      const results = sarif.runs[0]?.results ?? [];
      expect(results.filter((result) => result.kind === "open").length).toBeGreaterThan(0);
      expect(results.filter((result) => result.kind === "open" && result.level !== "none")).toEqual([]);
      expect(results.filter((result) => result.kind !== "open")).toHaveLength(7);
    });
  });

  describe("the sample stacks (the program run under the mock cloud)", () => {
    it("every sample stack passes every mandatory policy (exit 0)", async () => {
      const result = await shopctl(["policy", "check", "--all-stacks", "--json"]);
      const document = parse(result.stdout);
      expect(document.violations.filter((violation) => violation.enforcementLevel === "mandatory")).toEqual([]);
      expect(result.code).toBe(0);
      expect(document.stacks?.map((stack) => stack.stack)).toEqual(["dev", "prod", "staging"]);
      expect(document.stacks?.every((stack) => stack.summary.resources > 50)).toBe(true);
    });

    it("dev's advisory findings are exactly the documented ones (docs/ci-and-policy.md)", async () => {
      const document = parse((await shopctl(["policy", "check", "--stack", "dev", "--json"])).stdout);
      expect([...new Set(document.violations.map((violation) => `${violation.enforcementLevel} ${violation.policy}`))].sort()).toEqual([
        "advisory alb-deletion-protection", "advisory alb-https-only", "advisory cloudfront-custom-certificate", "advisory cloudfront-origin-https",
        "advisory opensearch-dedicated-masters", "advisory opensearch-zone-awareness", "advisory rds-deletion-protection", "advisory rds-multi-az", "advisory target-group-https",
      ]);
    });

    it("policy config prints each stack's derived config, and policies/config/ holds exactly that", async () => {
      for (const stack of ["dev", "staging", "prod"]) {
        const result = await shopctl(["policy", "config", "--stack", stack]);
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toEqual(JSON.parse(await readFile(path.join(ROOT, "policies", "config", `${stack}.json`), "utf8")));
      }
    });
  });

  describe("bad usage exits 2 with a clear message", () => {
    it.each([
      [["policy", "check"], /what should be checked\? pass --stack NAME \(one of: dev, prod, staging\), --all-stacks, --from-export FILE or --from-preview FILE/],
      [["policy", "check", "--stack", "dev", "--from-export", EXPORT], /pass one of --stack NAME, --all-stacks, --from-export FILE or --from-preview FILE, not several/],
      [["policy", "check", "--stack", "qa"], /no stack named "qa"/],
      [["policy", "check", "--from-export", "no/such/file.json"], /cannot read the stack export no\/such\/file\.json: no such file/],
      [["policy", "check", "--from-export", "policies"], /cannot read the stack export policies: it is a directory/],
      [["policy", "check", "--from-export", "policies/PulumiPolicy.yaml"], /the stack export policies\/PulumiPolicy\.yaml is not valid JSON/],
      [["policy", "check", "--from-preview", EXPORT], /a `pulumi stack export` document, not a preview: pass it with --from-export/],
      [["policy", "check", "--from-export", "policies/package.json"], /not a `pulumi stack export` document:[\s\S]*version/],
      [["policy", "check", "--from-export", EXPORT, "--json", "--format", "sarif"], /--json asks for --format json, but --format sarif was given/],
      [["policy", "check", "--from-export", EXPORT, "--format", "yaml"], /argument 'yaml' is invalid. Allowed choices are text, json, sarif, junit/],
      [["policy", "config"], /pass --stack NAME/],
    ])("shopctl %j", async (args, message) => {
      const result = await shopctl(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    });

    it("a bad --config file lists every problem", async () => {
      const config = path.join(scratch, "bad.json");
      await writeFile(config, JSON.stringify({ "rds-not-public": "blocking", "rds-backup-retention": { minimumDays: 90 } }));
      const first = await shopctl(["policy", "check", "--from-export", EXPORT, "--config", config]);
      expect(first.code).toBe(2);
      expect(first.stderr).toMatch(/rds-not-public: "blocking" is not a valid enforcement level/);
      await writeFile(config, JSON.stringify({ "rds-backup-retention": { minimumDays: 90 }, "waf-rate-rule": { maximumLimit: "lots" } }));
      const second = await shopctl(["policy", "check", "--from-export", EXPORT, "--config", config, "--json"]);
      expect(second.code).toBe(2);
      const message = (JSON.parse(second.stdout) as { error: { message: string } }).error.message;
      expect(message).toMatch(/2 problem\(s\) in the policy pack config/);
      expect(message).toMatch(/- rds-backup-retention: minimumDays: Too big/);
      expect(message).toMatch(/- waf-rate-rule: maximumLimit: .*expected number/);
    });

    it("a --stack from $SHOPCTL_STACK gives way to an explicit file", async () => {
      const result = await shopctl(["policy", "check", "--from-export", EXPORT, "--json"], { SHOPCTL_STACK: "dev" });
      expect(result.code).toBe(1);
      expect(parse(result.stdout).summary.resources).toBe(12);
    });
  });
});
