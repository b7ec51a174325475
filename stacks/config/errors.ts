/** One bad key in a stack config: where it is, what was found there, and what belongs there. */
export interface ConfigIssue {
  /** Namespaced path, e.g. `shop:database.backupRetentionDays` or `shop:alarms.emails[1]`. */
  path: string;
  /** The value found; `undefined` when the key is missing. */
  found: unknown;
  /** Completes the sentence "expected …". */
  expected: string;
}

export const MISSING = Symbol("missing");

/** Thrown before any resource is declared when a stack config does not validate. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  readonly source: string;

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(formatIssues(source, issues));
    this.name = "ConfigError";
    this.source = source;
    this.issues = issues;
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined || value === MISSING) return "nothing (the key is missing)";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

export function formatIssues(source: string, issues: readonly ConfigIssue[]): string {
  const noun = issues.length === 1 ? "problem" : "problems";
  const lines = issues.map((issue) =>
    `  - ${issue.path}: found ${describeValue(issue.found)}; expected ${issue.expected}`);
  return [`${source}: ${issues.length} ${noun} in the stack config; nothing was declared.`, ...lines].join("\n");
}
