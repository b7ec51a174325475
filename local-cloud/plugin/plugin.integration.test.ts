import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import pluginPb from "@pulumi/pulumi/proto/plugin_pb.js";
import providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import providerPb from "@pulumi/pulumi/proto/provider_pb.js";
import emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MockCloud, unknownInvokeError, unknownTypeError } from "../mock-cloud.js";
import { isRecord, type Properties } from "../property-values.js";
import { pluginEntryPoint } from "./install.js";
import { fromWire, toWire } from "./wire-values.js";

// The compiled plugin, spawned as the engine spawns it, spoken to over gRPC as the engine speaks.

const projectRoot = resolve(import.meta.dirname, "..", "..");
const entry = pluginEntryPoint(projectRoot);
const UNKNOWN = pulumi.runtime.unknownValue;
const { DiffChanges } = providerPb.DiffResponse;
type Client = InstanceType<typeof providerGrpc.ResourceProviderClient>;

interface Plugin {
  readonly client: Client;
  readonly process: ChildProcess;
}

const started: Plugin[] = [];

afterAll(() => {
  for (const plugin of started) {
    plugin.client.close();
    plugin.process.kill();
  }
});

async function startPlugin(pkg: string, env: NodeJS.ProcessEnv): Promise<Plugin> {
  const child = spawn(process.execPath, [entry, pkg, "127.0.0.1:1"], { cwd: tmpdir(), env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((done, fail) => {
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\n/.exec(stdout);
      if (line !== null) done(Number(line[1]));
    });
    child.on("exit", (code) => {
      fail(new Error(`the ${pkg} plugin exited (${code}) before printing its port:\n${stderr}`));
    });
  });
  const plugin = { client: new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()), process: child };
  started.push(plugin);
  return plugin;
}

function unary<Response>(send: (callback: (error: grpc.ServiceError | null, response: Response) => void) => unknown): Promise<Response> {
  return new Promise((done, fail) => {
    send((error, response) => {
      if (error === null) done(response);
      else fail(error);
    });
  });
}

const STACK = "dev";
const urnOf = (type: string, name: string) => `urn:pulumi:${STACK}::shop-platform::${type}::${name}`;
const VPC = "aws:ec2/vpc:Vpc";
const PARAMETER = "aws:ssm/parameter:Parameter";
const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });
const defaultTags = { Environment: "dev", Owner: "platform-team" };

function configureRequest(region: string): providerPb.ConfigureRequest {
  const request = new providerPb.ConfigureRequest();
  request.setArgs(toWire({ region, defaultTags: JSON.stringify({ tags: defaultTags }), version: "7.48.0" }));
  request.getVariablesMap().set("aws:config:region", region);
  return request;
}

function createRequest(type: string, name: string, properties: Properties, preview: boolean): providerPb.CreateRequest {
  const request = new providerPb.CreateRequest();
  request.setUrn(urnOf(type, name));
  request.setProperties(toWire(properties));
  request.setPreview(preview);
  return request;
}

function invokeRequest(token: string, args: Properties = {}): providerPb.InvokeRequest {
  const request = new providerPb.InvokeRequest();
  request.setTok(token);
  request.setArgs(toWire(args));
  return request;
}

/** What the mocks answer for the same registration. */
function mockAnswer(type: string, name: string, inputs: Properties, preview: boolean): { id: string | undefined; state: Properties } {
  const cloud = new MockCloud({ stack: () => STACK, isPreview: () => preview, defaultRegion: () => "eu-west-1", defaultTags: () => defaultTags });
  const result = cloud.newResource({ type, name, inputs, custom: true });
  return { id: result.id, state: isRecord(result.state) ? result.state : {} };
}

describe("the local cloud's aws plugin over gRPC", () => {
  let cloudDir: string;
  let aws: Client;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, SHOP_LOCAL_CLOUD_DIR: cloudDir });

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first (the engine runs the compiled plugin).`);
    cloudDir = mkdtempSync(join(tmpdir(), "local-cloud-plugin-"));
    aws = (await startPlugin("aws", env())).client;
    const configured = await unary<providerPb.ConfigureResponse>((done) => aws.configure(configureRequest("eu-west-1"), done));
    expect([configured.getAcceptsecrets(), configured.getAcceptresources(), configured.getAcceptoutputs(), configured.getSupportspreview()]).toEqual([true, true, true, true]);
  });

  afterAll(() => {
    rmSync(cloudDir, { recursive: true, force: true });
  });

  it("says which version it is: the installed @pulumi/aws's", async () => {
    const info = await unary<pluginPb.PluginInfo>((done) => aws.getPluginInfo(new emptyPb.Empty(), done));
    expect(info.getVersion()).toBe("7.48.0");
  });

  it("checks: returns the news, and refuses a type the cloud has no model for with the mocks' message", async () => {
    const request = new providerPb.CheckRequest();
    request.setUrn(urnOf(VPC, "net"));
    request.setNews(toWire({ cidrBlock: "10.0.0.0/16", password: secret("pw") }));
    const checked = await unary<providerPb.CheckResponse>((done) => aws.check(request, done));
    expect(fromWire(checked.getInputs())).toEqual({ cidrBlock: "10.0.0.0/16", password: secret("pw") });

    request.setUrn(urnOf("aws:ec2/teleporter:Teleporter", "beam"));
    await expect(unary((done) => aws.check(request, done))).rejects.toThrow(unknownTypeError("aws:ec2/teleporter:Teleporter", "beam").message);
  });

  it("creates in a preview what the mocks plan in a dry run: inputs and plan-time values, the rest (id included) unknown", async () => {
    const inputs = { cidrBlock: "10.0.0.0/16", tags: { Name: "net" } };
    const response = await unary<providerPb.CreateResponse>((done) => aws.create(createRequest(VPC, "net", inputs, true), done));
    expect(response.getId()).toBe("");
    const outputs = fromWire(response.getProperties());
    expect(outputs).toEqual({ ...mockAnswer(VPC, "net", inputs, true).state, id: UNKNOWN });
    expect(outputs).toMatchObject({ region: "eu-west-1", tagsAll: { ...defaultTags, Name: "net" } });
    expect(outputs.arn).toBeUndefined();
  });

  it("creates, reads, updates and deletes with the mocks' ids and outputs, in the configured region", async () => {
    const inputs = { cidrBlock: "10.0.0.0/16", tags: { Name: "net" } };
    const created = await unary<providerPb.CreateResponse>((done) => aws.create(createRequest(VPC, "net", inputs, false), done));
    const mock = mockAnswer(VPC, "net", inputs, false);
    expect(created.getId()).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(created.getId()).toBe(mock.id);
    expect(fromWire(created.getProperties())).toEqual({ ...mock.state, id: mock.id });
    expect(fromWire(created.getProperties()).arn).toMatch(/^arn:aws:ec2:eu-west-1:123456789012:vpc\/vpc-/);

    const read = new providerPb.ReadRequest();
    read.setUrn(urnOf(VPC, "net"));
    read.setId(created.getId());
    read.setInputs(toWire(inputs));
    const found = await unary<providerPb.ReadResponse>((done) => aws.read(read, done));
    expect(found.getId()).toBe(created.getId());
    expect(fromWire(found.getProperties())).toEqual(fromWire(created.getProperties()));

    const update = new providerPb.UpdateRequest();
    update.setUrn(urnOf(VPC, "net"));
    update.setId(created.getId());
    update.setOlds(created.getProperties());
    update.setOldInputs(toWire(inputs));
    update.setNews(toWire({ ...inputs, tags: { Name: "net", Tier: "dev" } }));
    const updated = await unary<providerPb.UpdateResponse>((done) => aws.update(update, done));
    expect(fromWire(updated.getProperties())).toMatchObject({ id: created.getId(), tagsAll: { ...defaultTags, Name: "net", Tier: "dev" } });
    expect(fromWire((await unary<providerPb.ReadResponse>((done) => aws.read(read, done))).getProperties()).tags).toEqual({ Name: "net", Tier: "dev" });

    const remove = new providerPb.DeleteRequest();
    remove.setUrn(urnOf(VPC, "net"));
    remove.setId(created.getId());
    await unary((done) => aws.delete(remove, done));
    expect((await unary<providerPb.ReadResponse>((done) => aws.read(read, done))).getId()).toBe("");
  });

  it("diffs old inputs against new inputs: computed outputs are no update, a changed input is", async () => {
    const inputs = { cidrBlock: "10.0.0.0/16", tags: { Name: "net" } };
    const request = new providerPb.DiffRequest();
    request.setUrn(urnOf(VPC, "net"));
    request.setId("vpc-0");
    request.setOldInputs(toWire(inputs));
    request.setOlds(toWire({ ...inputs, arn: "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0", tagsAll: { Name: "net" } }));
    request.setNews(toWire(inputs));
    const same = await unary<providerPb.DiffResponse>((done) => aws.diff(request, done));
    expect(same.getChanges()).toBe(DiffChanges.DIFF_NONE);

    request.setNews(toWire({ ...inputs, tags: { Name: "net", Tier: "dev" } }));
    const changed = await unary<providerPb.DiffResponse>((done) => aws.diff(request, done));
    expect(changed.getChanges()).toBe(DiffChanges.DIFF_SOME);
    expect(changed.getDiffsList()).toEqual(["tags"]);
    expect(changed.getDetaileddiffMap().get("tags")?.getKind()).toBe(providerPb.PropertyDiff.Kind.UPDATE);
    expect(changed.getReplacesList()).toEqual([]);
  });

  it("answers invokes in its provider's region", async () => {
    const identity = fromWire((await unary<providerPb.InvokeResponse>((done) => aws.invoke(invokeRequest("aws:index/getCallerIdentity:getCallerIdentity"), done))).getReturn());
    expect(identity).toMatchObject({ accountId: "123456789012" });
    const region = fromWire((await unary<providerPb.InvokeResponse>((done) => aws.invoke(invokeRequest("aws:index/getRegion:getRegion"), done))).getReturn());
    expect(region).toMatchObject({ region: "eu-west-1", name: "eu-west-1" });
    await expect(unary((done) => aws.invoke(invokeRequest("aws:index/getTeleporter:getTeleporter"), done))).rejects.toThrow(
      unknownInvokeError("aws:index/getTeleporter:getTeleporter").message,
    );
  });

  it("shares the cloud with other plugin processes: another provider finds what this one created, secrets stay secret", async () => {
    const inputs = { name: "/shop/dev/database-url", type: "SecureString", value: secret("postgres://db") };
    const created = await unary<providerPb.CreateResponse>((done) => aws.create(createRequest(PARAMETER, "database-url", inputs, false), done));
    expect(fromWire(created.getProperties()).value).toEqual(secret("postgres://db"));

    const other = (await startPlugin("aws", env())).client;
    await unary((done) => other.configure(configureRequest("us-east-1"), done));
    const found = fromWire(
      (await unary<providerPb.InvokeResponse>((done) => other.invoke(invokeRequest("aws:ssm/getParameter:getParameter", { name: "/shop/dev/database-url" }), done))).getReturn(),
    );
    expect(found).toMatchObject({ name: "/shop/dev/database-url", arn: "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/dev/database-url" });
  });

  it("refuses to configure without SHOP_LOCAL_CLOUD_DIR, naming it", async () => {
    const { SHOP_LOCAL_CLOUD_DIR: _dir, ...withoutDir } = env();
    const homeless = (await startPlugin("aws", withoutDir)).client;
    await expect(unary((done) => homeless.configure(configureRequest("eu-west-1"), done))).rejects.toThrow(/SHOP_LOCAL_CLOUD_DIR is not set/);
    await expect(unary((done) => homeless.create(createRequest(VPC, "net", {}, false), done))).rejects.toThrow(/SHOP_LOCAL_CLOUD_DIR is not set/);
  });
});

describe("the local cloud's awsx plugin over gRPC", () => {
  it("serves awsx at the installed @pulumi/awsx's version and refuses unknown invokes with the mocks' message", async () => {
    const awsx = (await startPlugin("awsx", process.env)).client;
    expect((await unary<pluginPb.PluginInfo>((done) => awsx.getPluginInfo(new emptyPb.Empty(), done))).getVersion()).toBe("3.9.0");
    await expect(unary((done) => awsx.invoke(invokeRequest("awsx:ec2:getDefaultVpc"), done))).rejects.toThrow(unknownInvokeError("awsx:ec2:getDefaultVpc").message);
  });
});

describe("the plugin entry", () => {
  it("refuses an unknown package, saying what it takes", async () => {
    const child = spawn(process.execPath, [entry, "gcp"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: main.js aws\|awsx <engine address>: the package to serve is the first argument; got "gcp"/);
  });
});
