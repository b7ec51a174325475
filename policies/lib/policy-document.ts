import { isRecord, jsonOf, listOf, stringsOf, type Json } from "./values.js";

/** One IAM/KMS/S3 policy statement, normalised: single values become lists. */
export interface Statement {
  readonly sid: string | undefined;
  readonly effect: "Allow" | "Deny";
  /** `"*"` for `Principal: "*"`; otherwise principal type → identifiers. */
  readonly principals: "*" | Readonly<Record<string, readonly string[]>> | undefined;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  /** Operator → condition key → values. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

function principalsOf(value: unknown): Statement["principals"] {
  if (value === "*") return "*";
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([type, ids]) => [type, stringsOf(ids)]));
}

function conditionsOf(value: unknown): Statement["conditions"] {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([operator, keys]) => [
      operator,
      isRecord(keys) ? Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, listOf(values).map(String)])) : {},
    ]),
  );
}

/**
 * The statements of a policy document given as JSON text or an object, or `undefined` when it is
 * not a policy document at all (a policy must then treat it as unreadable, not as empty).
 */
export function statementsOf(document: unknown): Statement[] | undefined {
  const parsed = jsonOf(document);
  if (!isRecord(parsed)) return undefined;
  return listOf(parsed.Statement).filter(isRecord).map((statement: Json) => ({
    sid: typeof statement.Sid === "string" ? statement.Sid : undefined,
    effect: statement.Effect === "Deny" ? "Deny" : "Allow",
    principals: principalsOf(statement.Principal),
    actions: stringsOf(statement.Action),
    notActions: stringsOf(statement.NotAction),
    resources: stringsOf(statement.Resource),
    conditions: conditionsOf(statement.Condition),
  }));
}

/** True when the statement applies to anyone: `"*"` or `{ AWS: "*" }`. */
export function hasWildcardPrincipal(statement: Statement): boolean {
  const { principals } = statement;
  if (principals === "*") return true;
  return principals !== undefined && Object.values(principals).some((ids) => ids.includes("*"));
}

/** The condition keys a statement tests, lower-cased (IAM condition keys are case-insensitive). */
export function conditionKeys(statement: Statement): string[] {
  return Object.values(statement.conditions).flatMap((keys) => Object.keys(keys).map((key) => key.toLowerCase()));
}

/** The values a statement's condition holds for `key` under any operator matching `operator`. */
export function conditionValues(statement: Statement, operator: RegExp, key: string): string[] {
  return Object.entries(statement.conditions)
    .filter(([name]) => operator.test(name))
    .flatMap(([, keys]) => Object.entries(keys).filter(([name]) => name.toLowerCase() === key.toLowerCase()).flatMap(([, values]) => values));
}
