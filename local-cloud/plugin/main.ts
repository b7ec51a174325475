import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { exitWhenEngineGone } from "./engine-watch.js";
import { isPluginPackage, type PluginPackage, sdkVersionOf } from "./plugin-packages.js";

// The local cloud's provider plugin: `node main.js aws|awsx <engine address> [engine flags]`.
// The engine starts it (through the scripts install.ts writes), reads the port it prints on
// stdout, and talks gRPC to it on 127.0.0.1. Each package's modules are imported only when that
// package is served: the aws plugin does not need @pulumi/aws (a second of start-up per process).

/** The project whose node_modules hold the SDK packages: where this module resolves them from. */
function projectRootFor(pkg: PluginPackage): string {
  const manifest = createRequire(import.meta.url).resolve(`@pulumi/${pkg}/package.json`);
  return resolve(dirname(manifest), "..", "..", "..");
}

async function serveAws(version: string): Promise<void> {
  const [{ default: providerGrpc }, { AwsProvider, serviceOf }, { serveOnLoopback }] = await Promise.all([
    import("@pulumi/pulumi/proto/provider_grpc_pb.js"),
    import("./aws-provider.js"),
    import("./grpc-server.js"),
  ]);
  const { port } = await serveOnLoopback(providerGrpc.ResourceProviderService, serviceOf(new AwsProvider({ version })));
  process.stdout.write(`${port}\n`);
}

async function serveAwsx(version: string, engineArgs: readonly string[]): Promise<void> {
  const [pulumi, { awsxProvider }] = await Promise.all([import("@pulumi/pulumi"), import("./awsx-provider.js")]);
  await pulumi.provider.main(awsxProvider(version), [...engineArgs]);
}

async function main(argv: readonly string[]): Promise<void> {
  const [pkg, ...engineArgs] = argv;
  if (!isPluginPackage(pkg)) {
    process.stderr.write(`usage: main.js aws|awsx <engine address>: the package to serve is the first argument; got ${JSON.stringify(pkg ?? "")}.\n`);
    process.exit(2);
  }
  const version = sdkVersionOf(pkg, projectRootFor(pkg));
  exitWhenEngineGone(engineArgs.find((arg) => !arg.startsWith("-")));
  if (pkg === "aws") await serveAws(version);
  else await serveAwsx(version, engineArgs);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`local cloud plugin: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
