/**
 * The one way components check their plain args (sizes, counts, names, schedules), so a bad value
 * fails when the program declares the component, naming the component, the arg, the value found
 * and what is expected, instead of a vague API error minutes into a deploy.
 */
export class InvalidArgsError extends Error {
  constructor(
    /** The component as errors name it, e.g. `Database "catalog"`. */
    readonly component: string,
    /** The arg (or path into the args) at fault; empty for a rule across several args. */
    readonly arg: string,
    readonly found: unknown,
    /** What would have been accepted, or for a rule across args the whole problem. */
    readonly expected: string,
    message = `${component}: ${arg} is ${JSON.stringify(found)}; expected ${expected}.`,
  ) {
    super(message);
    this.name = "InvalidArgsError";
  }
}

/**
 * Checks one component's args: `new ArgsChecker(\`Database "${name}"\`)`, then one call per arg.
 * Each check returns the value it accepted, so `const days = check.integer(...)` reads naturally.
 */
export class ArgsChecker {
  constructor(readonly component: string) {}

  /** `<component>: <arg> is <found>; expected <expected>.` */
  fail(arg: string, found: unknown, expected: string): never {
    throw new InvalidArgsError(this.component, arg, found, expected);
  }

  /**
   * A problem that is not one arg's value, e.g. two args that contradict each other:
   * `<component>: <problem>`. `arg` and `found` still identify the value at fault.
   */
  reject(arg: string, found: unknown, problem: string): never {
    throw new InvalidArgsError(this.component, arg, found, problem, `${this.component}: ${problem}`);
  }

  /** Fails with `problem` (see `reject`) unless `ok`. */
  require(ok: boolean, arg: string, found: unknown, problem: string): void {
    if (!ok) this.reject(arg, found, problem);
  }

  integer(arg: string, value: number, min: number, max: number): number {
    if (!Number.isInteger(value) || value < min || value > max) this.fail(arg, value, `an integer from ${min} to ${max}`);
    return value;
  }

  oneOf<T>(arg: string, value: T, allowed: readonly T[]): T {
    if (!allowed.includes(value)) this.fail(arg, value, `one of ${allowed.join(", ")}`);
    return value;
  }

  matches(arg: string, value: string, pattern: RegExp, expected: string): string {
    if (!pattern.test(value)) this.fail(arg, value, expected);
    return value;
  }
}
