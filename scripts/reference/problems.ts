/** Something a developer has to fix before the reference is complete or current. */
export interface Problem {
  /** Relative to the repository root. */
  file: string;
  line: number;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/** Stable order for output: by file, then line, then message. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
