// vitest globalSetup of the `integration` project: make sure the real PostgreSQL, OpenSearch and
// moto servers answer, starting them with scripts/services.sh when they do not. There is no
// teardown on purpose: the services are reused across runs (`.ci/run` and
// `bash scripts/services.sh stop` manage their lifetime).
import { ensureEngine, ensureServices } from "./services.js";

export default async function setup(): Promise<void> {
  await ensureServices();
  // The real Pulumi engine and its language host: milliseconds when already built.
  ensureEngine();
}
