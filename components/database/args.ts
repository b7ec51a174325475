/**
 * Validation of a data component's plain args (sizes, counts, names), so that a bad value fails
 * when the program declares the component, with the component, the arg, the value found and what
 * is expected, instead of a vague API error minutes into a deploy.
 */
export class InvalidArgsError extends Error {
  constructor(
    readonly component: string,
    readonly arg: string,
    readonly found: unknown,
    readonly expected: string,
  ) {
    super(`${component}: ${arg} is ${JSON.stringify(found)}; expected ${expected}.`);
    this.name = "InvalidArgsError";
  }
}

/** Names the component in errors: `Database "catalog"`. */
export class ArgsChecker {
  constructor(private readonly component: string) {}

  fail(arg: string, found: unknown, expected: string): never {
    throw new InvalidArgsError(this.component, arg, found, expected);
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

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function checkLogRetention(check: ArgsChecker, days: number): number {
  return check.oneOf<number>("logRetentionDays", days, LOG_RETENTION_DAYS);
}
