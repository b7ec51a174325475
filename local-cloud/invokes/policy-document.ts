import { digitsFrom } from "../hashing.js";
import { isRecord, type Properties, PropertyReader } from "../property-values.js";
import { MockCloudError } from "../errors.js";

// aws.iam.getPolicyDocument renders statements into IAM JSON the way the Terraform data source does:
// keys in the order Sid, Effect, Action, NotAction, Resource, NotResource, Principal, NotPrincipal,
// Condition; a one-element list collapses to a string; longer lists are reverse-sorted; principal
// and condition maps have sorted keys; `Principal: "*"` for the `*`/`*` principal; Effect defaults
// to Allow; `json` is indented by two spaces and `minifiedJson` is compact.

type JsonValue = string | string[] | { [key: string]: JsonValue } | JsonValue[];
type Statement = Record<string, unknown>;

/** One element → that string; more → reverse-sorted array (Terraform's policyDecodeConfigStringList). */
function collapse(values: readonly string[]): string | string[] {
  if (values.length === 1 && values[0] !== undefined) return values[0];
  return [...values].sort().reverse();
}

function sortedKeys<T>(map: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function renderPrincipals(blocks: readonly PropertyReader[]): JsonValue | undefined {
  if (blocks.length === 0) return undefined;
  const first = blocks[0];
  if (blocks.length === 1 && first?.string("type") === "*") {
    const ids = first.strings("identifiers");
    if (ids.length === 1 && ids[0] === "*") return "*";
  }
  const byType = new Map<string, string[]>();
  for (const block of blocks) {
    const type = block.string("type") ?? "AWS";
    byType.set(type, [...(byType.get(type) ?? []), ...block.strings("identifiers")]);
  }
  const rendered = new Map<string, JsonValue>();
  for (const [type, identifiers] of byType) rendered.set(type, collapse(identifiers));
  return sortedKeys(rendered);
}

function renderConditions(blocks: readonly PropertyReader[]): JsonValue | undefined {
  if (blocks.length === 0) return undefined;
  const byTest = new Map<string, Map<string, string[]>>();
  for (const block of blocks) {
    const test = block.string("test") ?? "";
    const variable = block.string("variable") ?? "";
    const variables = byTest.get(test) ?? new Map<string, string[]>();
    variables.set(variable, [...(variables.get(variable) ?? []), ...block.strings("values")]);
    byTest.set(test, variables);
  }
  const rendered = new Map<string, JsonValue>();
  for (const [test, variables] of byTest) {
    const inner = new Map<string, JsonValue>();
    for (const [variable, values] of variables) inner.set(variable, collapse(values));
    rendered.set(test, sortedKeys(inner));
  }
  return sortedKeys(rendered);
}

function renderStatement(block: PropertyReader): Statement {
  const statement: Statement = {};
  const put = (key: string, value: JsonValue | undefined): void => {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) statement[key] = value;
  };
  const sid = block.string("sid");
  if (sid !== undefined && sid !== "") statement.Sid = sid;
  statement.Effect = block.string("effect") ?? "Allow";
  const list = (key: string): JsonValue | undefined => {
    const values = block.strings(key);
    return values.length === 0 ? undefined : collapse(values);
  };
  put("Action", list("actions"));
  put("NotAction", list("notActions"));
  put("Resource", list("resources"));
  put("NotResource", list("notResources"));
  put("Principal", renderPrincipals(block.records("principals")));
  put("NotPrincipal", renderPrincipals(block.records("notPrincipals")));
  put("Condition", renderConditions(block.records("conditions")));
  return statement;
}

function statementsOfJson(json: string, origin: string): Statement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new MockCloudError(`getPolicyDocument: ${origin} is not valid JSON: ${String(error)}`);
  }
  if (!isRecord(parsed)) return [];
  const statements = parsed.Statement;
  if (Array.isArray(statements)) return statements.filter(isRecord);
  return isRecord(statements) ? [statements] : [];
}

/** Statements with a Sid replace earlier ones with the same Sid; the rest are appended. */
function mergeBySid(base: Statement[], additions: readonly Statement[]): Statement[] {
  const merged = [...base];
  for (const statement of additions) {
    const sid = statement.Sid;
    const index = typeof sid === "string" && sid !== "" ? merged.findIndex((existing) => existing.Sid === sid) : -1;
    if (index >= 0) merged[index] = statement;
    else merged.push(statement);
  }
  return merged;
}

export interface RenderedPolicyDocument {
  readonly id: string;
  readonly json: string;
  readonly minifiedJson: string;
}

export function renderPolicyDocument(args: Properties): RenderedPolicyDocument {
  const inputs = new PropertyReader(args);
  const sources = [...inputs.strings("sourcePolicyDocuments"), ...(inputs.string("sourceJson") === undefined ? [] : [inputs.string("sourceJson") ?? ""])];
  const overrides = [...inputs.strings("overridePolicyDocuments"), ...(inputs.string("overrideJson") === undefined ? [] : [inputs.string("overrideJson") ?? ""])];

  let statements: Statement[] = [];
  sources.forEach((json, index) => {
    statements = mergeBySid(statements, statementsOfJson(json, `sourcePolicyDocuments[${index}]`));
  });
  statements = mergeBySid(statements, inputs.records("statements").map(renderStatement));
  overrides.forEach((json, index) => {
    statements = mergeBySid(statements, statementsOfJson(json, `overridePolicyDocuments[${index}]`));
  });

  const policyId = inputs.string("policyId");
  const document = {
    Version: inputs.string("version") ?? "2012-10-17",
    ...(policyId === undefined ? {} : { Id: policyId }),
    Statement: statements,
  };
  const json = JSON.stringify(document, null, 2);
  return { id: digitsFrom(json, 10), json, minifiedJson: JSON.stringify(document) };
}
