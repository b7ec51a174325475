import type { z } from "zod";
import { ApiError, type FieldProblem } from "./errors.js";

export type InputLocation = "body" | "query" | "params" | "headers";

/** `shippingAddress.country`, `items[2].sku`: how a problem's path reads in an error. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text === "" ? String(part) : `.${String(part)}`;
  }
  return text;
}

/** `idempotency-key` -> `Idempotency-Key`: headers are named as clients write them. */
function headerName(name: string): string {
  return name.split("-").map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("-");
}

function problemsOf(error: z.ZodError, location: InputLocation): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    // A query parameter is named as the client wrote it (`attribute`, not `attribute[0]`).
    const path = location === "query" ? fieldPath(issue.path.slice(0, 1)) : fieldPath(issue.path);
    const base = location === "headers" ? headerName(path) : path;
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const field = base === "" ? key : `${base}.${key}`;
        return { field, message: `${field} is not a known ${location === "query" ? "query parameter" : "field"}` };
      });
    }
    const field = base === "" ? location : base;
    return [{ field, message: `${field}: ${issue.message}` }];
  });
}

/** Parses one part of a request; a bad one is a 400 naming every field at fault (the first as `field`). */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, location: InputLocation): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = problemsOf(parsed.error, location);
  const first = problems[0] ?? { field: location, message: `${location} is not valid` };
  throw new ApiError(400, "invalid_request", first.message, first.field, problems.length > 1 ? { problems } : {});
}
