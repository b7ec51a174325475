// `npm run docs:reference` writes docs/reference/*.md from the code; `npm run docs:check` (--check)
// writes nothing and exits 1 listing every stale file and every completeness problem.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblem } from "./problems.js";
import { buildReference, staleFiles } from "./reference.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const check = process.argv.includes("--check");
const reference = buildReference(repoRoot);

if (check) {
  const problems = [...staleFiles(reference.files, repoRoot), ...reference.problems];
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (problems.length > 0) {
    process.stderr.write(`docs:check: ${problems.length} problem(s); fix the sources above, then run npm run docs:reference\n`);
    process.exit(1);
  }
  process.stderr.write("docs:check: the reference is complete and up to date\n");
} else {
  for (const { file, content } of reference.files) {
    const target = path.join(repoRoot, file);
    mkdirSync(path.dirname(target), { recursive: true });
    // Unchanged files are left alone so that their timestamps do not churn.
    let current: string | undefined;
    try { current = readFileSync(target, "utf8"); } catch { current = undefined; }
    if (current !== content) writeFileSync(target, content);
    process.stderr.write(`${current === content ? "unchanged" : "wrote"} ${file}\n`);
  }
  if (reference.problems.length > 0) {
    process.stderr.write(`docs:reference: ${reference.problems.length} completeness problem(s) remain; npm run docs:check lists them\n`);
  }
}
