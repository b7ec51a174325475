import type { Command } from "commander";
import type { CommandRunner } from "../common/runner.js";
import { registerCatalog } from "./catalog.js";
import { registerReindex } from "./reindex.js";

/** The catalog commands (catalog migrate/seed, reindex): definitions only; each action loads its module when it runs. */
export function registerCatalogCommands(program: Command, runner: CommandRunner): void {
  registerCatalog(program, runner);
  registerReindex(program, runner);
}
