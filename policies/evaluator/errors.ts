/** A policy config (file or initial config) that the engine would refuse: every problem is listed. */
export class PolicyConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length} problem(s) in the policy pack config:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "PolicyConfigError";
  }
}

/** A resource file that is not what it claims to be (not a stack export, not a preview). */
export class ResourceSourceError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length === 1 ? problems[0] ?? "" : `\n${problems.map((problem) => `  - ${problem}`).join("\n")}`}`);
    this.name = "ResourceSourceError";
  }
}

/** A policy threw something other than a violation, unknown value or not-applicable. */
export class PolicyRuntimeError extends Error {
  constructor(
    readonly policy: string,
    readonly urn: string | undefined,
    cause: unknown,
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`policy ${policy} failed${urn === undefined ? " on the stack" : ` on ${urn}`}: ${message}`, { cause });
    this.name = "PolicyRuntimeError";
  }
}
