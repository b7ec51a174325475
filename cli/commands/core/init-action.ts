import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadStack, stackFile, STACKS_DIR } from "../../../stacks/config/index.js";
import { collectAnswers } from "../../init/wizard.js";
import { renderStackFile, stackNameProblem, stackValues, validateAnswers } from "../../init/stack-file.js";
import { ExitCode, RefusedError, UsageError } from "../../exit-codes.js";
import { log, printJson, printResult, stacksDirFrom, type Io } from "../../io.js";
import type { InitOptions } from "./options.js";

function refuseOverwrite(file: string): never {
  throw new RefusedError(`${file} exists already; nothing was written. Pass --force to overwrite it, or choose another --stack name.`);
}

export async function init(options: InitOptions, io: Io): Promise<ExitCode> {
  const dir = stacksDirFrom(io) ?? STACKS_DIR;
  const fileOf = (stack: string) => stackFile(stack, dir);
  if (options.stack !== undefined) {
    const problem = stackNameProblem(options.stack);
    if (problem !== undefined) throw new UsageError(`--stack: ${problem}`);
    if (existsSync(fileOf(options.stack)) && !options.force) refuseOverwrite(fileOf(options.stack));
  }

  const answers = await collectAnswers({ ...options }, io, (stack) => existsSync(fileOf(stack)), options.force);
  const file = fileOf(answers.stack);
  const shown = path.relative(process.cwd(), file) || file;
  const config = validateAnswers(answers, shown);
  const text = renderStackFile(answers);

  if (options.dryRun) {
    if (options.json) printJson(io, { stack: answers.stack, file, written: false, values: stackValues(answers), config });
    else printResult(io, text);
    log(io, `dry run: ${shown} was not written`);
    return ExitCode.Ok;
  }
  if (existsSync(file) && !options.force) refuseOverwrite(file);
  await mkdir(dir, { recursive: true });
  await writeFile(file, text, "utf8");
  // Read back through the same loader every command uses: what was written is what will run.
  const loaded = await loadStack(answers.stack, dir);

  if (options.json) {
    printJson(io, { stack: answers.stack, file, written: true, values: loaded.values, config: loaded.config });
  } else {
    printResult(io, [
      `wrote ${shown} (valid: tier ${loaded.config.tier}, ${loaded.config.primaryRegion}${loaded.config.drRegion === undefined ? "" : ` + DR ${loaded.config.drRegion}`})`,
      "next:",
      `  shopctl preview --offline --stack ${answers.stack}   # the full plan, no AWS account needed`,
      `  shopctl config show --stack ${answers.stack}         # every key with its tier default`,
      `  shopctl up --stack ${answers.stack}                  # deploy (runs doctor's checks first)`,
    ].join("\n"));
  }
  return ExitCode.Ok;
}
