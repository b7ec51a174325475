// Conformance: the pack served by @pulumi/policy's own analyzer (policies/index.ts, spawned as the
// Pulumi CLI spawns it, driven over gRPC the way the engine drives it) reports exactly what the
// offline evaluator reports for the same resources and config.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb.js";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb.js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb.js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initialConfigLayer, parsePackConfig, reconcileConfig, type PackConfigLayer } from "./evaluator/config.js";
import { evaluate } from "./evaluator/evaluate.js";
import { providerUrnOf, type EvaluationResource } from "./evaluator/resource.js";
import { fromPreviewJson, fromStackExport } from "./evaluator/sources.js";
import { initialConfig, PACK_NAME, PACK_VERSION, policies } from "./pack.js";
import { packConfigFor } from "./stack-profile.js";

const POLICIES_DIR = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(POLICIES_DIR, "fixtures", name), "utf8")) as unknown;

type Callback<T> = (error: grpc.ServiceError | null, response: T) => void;
function call<Req, Res>(method: (request: Req, callback: Callback<Res>) => unknown, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, (error, response) => { if (error === null) resolve(response); else reject(error); });
  });
}

const LEVELS: Record<string, analyzerProto.EnforcementLevel> = {
  advisory: analyzerProto.EnforcementLevel.ADVISORY,
  mandatory: analyzerProto.EnforcementLevel.MANDATORY,
  disabled: analyzerProto.EnforcementLevel.DISABLED,
  remediate: analyzerProto.EnforcementLevel.REMEDIATE,
};
const LEVEL_NAMES = new Map(Object.entries(LEVELS).map(([name, value]) => [value, name]));

function options(resource: EvaluationResource): analyzerProto.AnalyzerResourceOptions {
  const result = new analyzerProto.AnalyzerResourceOptions();
  result.setProtect(resource.protect ?? false);
  if (resource.parent !== undefined) result.setParent(resource.parent);
  return result;
}

function providerOf(resource: EvaluationResource, byUrn: Map<string, EvaluationResource>): analyzerProto.AnalyzerProviderResource | undefined {
  const provider = resource.provider === undefined ? undefined : byUrn.get(providerUrnOf(resource.provider));
  if (provider === undefined) return undefined;
  const result = new analyzerProto.AnalyzerProviderResource();
  result.setType(provider.type);
  result.setUrn(provider.urn);
  result.setName(provider.name);
  result.setProperties(Struct.fromJavaScript(provider.inputs as Record<string, never>));
  return result;
}

interface Diagnostic { policy: string; level: string; urn: string; message: string }

/** Everything the engine does for a deployment's analysis: configure, analyze each resource, analyze the stack. */
async function analyzeLikeTheEngine(client: analyzerRpc.AnalyzerClient, resources: EvaluationResource[], layers: PackConfigLayer[], rootUrn: string): Promise<Diagnostic[]> {
  const configure = new analyzerProto.ConfigureAnalyzerRequest();
  for (const [name, config] of reconcileConfig(policies, "advisory", [initialConfigLayer(initialConfig), ...layers])) {
    const entry = new analyzerProto.PolicyConfig();
    entry.setEnforcementlevel(LEVELS[config.enforcementLevel] ?? analyzerProto.EnforcementLevel.ADVISORY);
    entry.setProperties(Struct.fromJavaScript(config.properties as Record<string, never>));
    configure.getPolicyconfigMap().set(name, entry);
  }
  await call(client.configure.bind(client), configure);

  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const diagnostics: Diagnostic[] = [];
  const collect = (response: analyzerProto.AnalyzeResponse, urn: string | undefined) => {
    for (const diagnostic of response.getDiagnosticsList()) {
      diagnostics.push({ policy: diagnostic.getPolicyname(), level: LEVEL_NAMES.get(diagnostic.getEnforcementlevel()) ?? "?", urn: diagnostic.getUrn() || urn || rootUrn, message: diagnostic.getMessage() });
    }
  };
  for (const resource of resources) {
    const request = new analyzerProto.AnalyzeRequest();
    request.setType(resource.type);
    request.setUrn(resource.urn);
    request.setName(resource.name);
    request.setProperties(Struct.fromJavaScript(resource.inputs as Record<string, never>));
    request.setOptions(options(resource));
    const provider = providerOf(resource, byUrn);
    if (provider !== undefined) request.setProvider(provider);
    collect(await call(client.analyze.bind(client), request), resource.urn);
  }
  const stack = new analyzerProto.AnalyzeStackRequest();
  stack.setResourcesList(resources.map((resource) => {
    const item = new analyzerProto.AnalyzerResource();
    item.setType(resource.type);
    item.setUrn(resource.urn);
    item.setName(resource.name);
    item.setProperties(Struct.fromJavaScript(resource.outputs as Record<string, never>));
    item.setOptions(options(resource));
    if (resource.parent !== undefined) item.setParent(resource.parent);
    item.setDependenciesList([...(resource.dependencies ?? [])]);
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
      const dependencies = new analyzerProto.AnalyzerPropertyDependencies();
      dependencies.setUrnsList([...urns]);
      item.getPropertydependenciesMap().set(property, dependencies);
    }
    const provider = providerOf(resource, byUrn);
    if (provider !== undefined) item.setProvider(provider);
    return item;
  }));
  collect(await call(client.analyzeStack.bind(client), stack), undefined);
  return diagnostics;
}

async function offline(resources: EvaluationResource[], layers: PackConfigLayer[]): Promise<{ diagnostics: Diagnostic[]; rootUrn: string }> {
  const evaluation = await evaluate(resources, { pack: { name: PACK_NAME, version: PACK_VERSION }, policies, initialConfig, configLayers: layers });
  const descriptions = new Map(policies.map((policy) => [policy.name, policy.description]));
  return {
    rootUrn: evaluation.rootStackUrn,
    // The analyzer reports "<description>\n<message>"; the engine prints both.
    diagnostics: [
      ...evaluation.findings.map((finding) => ({
        policy: finding.policy, level: finding.enforcementLevel, urn: finding.urn,
        message: finding.message === descriptions.get(finding.policy) ? finding.message : `${descriptions.get(finding.policy) ?? ""}\n${finding.message}`,
      })),
      // The analyzer reports a policy that read an unknown value as an advisory "can't run" diagnostic.
      ...evaluation.notEvaluated.map((entry) => ({ policy: entry.policy, level: "advisory" as const, urn: entry.urn, message: entry.message })),
    ],
  };
}

const key = (diagnostic: Diagnostic) => `${diagnostic.policy} | ${diagnostic.level} | ${diagnostic.urn} | ${diagnostic.message}`;

describe("the pack under @pulumi/policy's analyzer agrees with the offline evaluator", () => {
  let pack: ChildProcess | undefined;
  let client: analyzerRpc.AnalyzerClient | undefined;

  beforeAll(async () => {
    const child = spawn(process.execPath, ["--import=tsx", "index.ts"], { cwd: POLICIES_DIR, stdio: ["ignore", "pipe", "pipe"] });
    pack = child;
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (chunk: Buffer) => { resolve(chunk.toString().trim()); });
      child.once("exit", (code) => { reject(new Error(`the policy pack exited with ${String(code)} before serving: ${stderr}`)); });
    });
    client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }, 60_000);

  afterAll(() => {
    client?.close();
    pack?.kill();
  });

  it("serves the pack's name, version, policies, levels and config schemas", async () => {
    const info = await call<Empty, analyzerProto.AnalyzerInfo>(client!.getAnalyzerInfo.bind(client), new Empty());
    expect([info.getName(), info.getVersion()]).toEqual([PACK_NAME, PACK_VERSION]);
    expect(info.getPoliciesList().map((policy) => [policy.getName(), LEVEL_NAMES.get(policy.getEnforcementlevel())])).toEqual(policies.map((policy) => [policy.name, policy.enforcementLevel]));
    expect([...info.getInitialconfigMap().keys()].sort()).toEqual(Object.keys(initialConfig).sort());
  });

  it.each([
    ["a misconfigured stack export", () => fromStackExport(fixture("misconfigured.export.json"), "export"), [] as PackConfigLayer[]],
    ["the same export under prod's derived config", () => fromStackExport(fixture("misconfigured.export.json"), "export"), [parsePackConfig(packConfigFor({ tier: "prod", allowedRegions: ["eu-central-1"], drRegion: "eu-central-1", hasDomain: true }), "prod")]],
    ["the same export under a dev profile's relaxations", () => fromStackExport(fixture("misconfigured.export.json"), "export"), [parsePackConfig(packConfigFor({ tier: "dev", hasDomain: false }), "dev")]],
    ["a preview with unknown values", () => fromPreviewJson(fixture("preview.json"), "preview"), [] as PackConfigLayer[]],
  ])("%s", async (_label, load, layers) => {
    const resources = load();
    const expected = await offline(resources, layers);
    const actual = await analyzeLikeTheEngine(client!, resources, layers, expected.rootUrn);
    expect(actual.length).toBeGreaterThan(0);
    expect(actual.map(key).sort()).toEqual(expected.diagnostics.map(key).sort());
  });
});
