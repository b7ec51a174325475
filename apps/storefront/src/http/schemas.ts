import { z } from "zod";

// Building blocks of the request schemas; each message completes "<field>: ...".

/** A query parameter given at most once. */
export function single<T extends z.ZodType<unknown, string>>(inner: T, what: string) {
  return z.string({ error: (issue) => (Array.isArray(issue.input) ? "given more than once; expected a single value" : `expected ${what}`) }).pipe(inner);
}

/** A query parameter that may repeat (`brand=a&brand=b`): always a list. */
export function repeated<T extends z.ZodType<unknown, string>>(item: T, max: number) {
  return z.union([z.string(), z.array(z.string())], { error: "expected text" })
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(z.array(item).max(max, { error: `at most ${max} values` }));
}

export const nonNegativeInteger = (what: string, max: number) =>
  z.string().regex(/^\d{1,15}$/, { error: `expected ${what}: a whole number from 0 to ${max}` })
    .transform(Number)
    .pipe(z.number().max(max, { error: `expected ${what}: a whole number from 0 to ${max}` }));

export const positiveInteger = (what: string, max: number) =>
  z.string().regex(/^\d{1,9}$/, { error: `expected ${what}: a whole number from 1 to ${max}` })
    .transform(Number)
    .pipe(z.number().min(1, { error: `expected ${what}: a whole number from 1 to ${max}` }).max(max, { error: `expected ${what}: a whole number from 1 to ${max}` }));

export const uuid = (what: string) => z.string({ error: `expected ${what}` }).regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, { error: `expected ${what} (a UUID)` }).transform((value) => value.toLowerCase());

/** A SKU as the index accepts it: 1 to 64 visible characters. */
export const SKU_PATTERN = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u;
export const sku = z.string({ error: "expected a SKU" }).regex(SKU_PATTERN, { error: "expected a SKU: 1 to 64 characters, no control characters, no surrounding spaces" });

export const quantity = z.int({ error: "expected a whole number from 1 to 99" }).min(1, { error: "expected a whole number from 1 to 99" }).max(99, { error: "expected a whole number from 1 to 99" });

export const currency = z.string().regex(/^[A-Z]{3}$/);

/** The body of every error response (for the OpenAPI description). */
export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    problems: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    details: z.unknown().optional(),
    requestId: z.string(),
  }),
});
