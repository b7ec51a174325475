import ts from "typescript";
import { z } from "zod";
import { anchor, code, document, escapeHtml, generatedHeader, table } from "./markdown.js";
import type { Problem } from "./problems.js";

type JsonSchema = z.core.JSONSchema.JSONSchema;

/** One config key: a top-level `shop:` key, or a field inside one (`daily.schedule` under `shop:backup`). */
export interface ConfigKeyDoc {
  /** Dotted path below the namespace: `tier`, `web.minSize`, `backup.daily.schedule`. */
  path: string;
  type: string;
  /** Allowed values, pattern, range or format, as Markdown; empty when the schema states none. */
  allowed: string;
  /** Required by the schema (a tier default may still fill it). */
  required: boolean;
  /** The default per tier, in tier order; undefined where that tier gives none. */
  defaults: { tier: string; value: unknown }[];
  description: string;
  isObject: boolean;
  /** Where the key is declared in the schema source. */
  line: number;
}

export interface ConfigSource {
  schema: z.ZodType;
  /** Tier name to its defaults, in the order the reference lists tiers. */
  tierDefaults: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  tiers: readonly string[];
  /** The schema's source file, relative to the repository root, and its text (for line numbers). */
  schemaFile: string;
  schemaText: string;
  namespace: string;
}

export interface ConfigExtraction {
  keys: ConfigKeyDoc[];
  problems: Problem[];
}

export function extractConfig(source: ConfigSource): ConfigExtraction {
  // JSON Schema is zod's public description of a schema: types, enums, patterns, ranges and
  // `.describe()` text, without reaching into zod's internals. "input" is what a stack file holds.
  const json = z.toJSONSchema(source.schema, { io: "input", unrepresentable: "any", reused: "inline" }) as JsonSchema;
  const lines = schemaKeyLines(source.schemaText, source.schemaFile);
  const keys: ConfigKeyDoc[] = [];
  walk(json, [], json, source, lines, keys);
  const problems = keys
    .filter((key) => key.description === "")
    .map((key) => ({
      file: source.schemaFile,
      line: key.line,
      message: `config key ${source.namespace}:${key.path} has no description; add .describe("...") to its zod schema`,
    }));
  return { keys, problems };
}

function walk(node: JsonSchema, path: string[], root: JsonSchema, source: ConfigSource, lines: Map<string, number>, out: ConfigKeyDoc[]): void {
  const required = new Set(node.required ?? []);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    if (typeof child === "boolean") continue;
    const resolved = deref(child, root);
    const childPath = [...path, name];
    const dotted = childPath.join(".");
    out.push({
      path: dotted,
      type: typeOf(resolved, root),
      allowed: allowedOf(resolved, root),
      required: required.has(name),
      defaults: source.tiers.map((tier) => ({ tier, value: valueAt(source.tierDefaults[tier], childPath) })),
      description: resolved.description ?? child.description ?? "",
      isObject: resolved.properties !== undefined,
      line: lineOf(lines, childPath),
    });
    if (resolved.properties !== undefined) walk(resolved, childPath, root, source, lines, out);
  }
}

/** Reused schemas may come back as `$ref`s into `$defs`; follow them. */
function deref(node: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = node.$ref;
  if (ref === undefined || !ref.startsWith("#/$defs/")) return node;
  const target = root.$defs?.[ref.slice("#/$defs/".length)];
  return target === undefined ? node : { ...deref(target, root), ...(node.description === undefined ? {} : { description: node.description }) };
}

function valueAt(defaults: Readonly<Record<string, unknown>> | undefined, path: readonly string[]): unknown {
  let value: unknown = defaults;
  for (const step of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

function typeOf(node: JsonSchema, root: JsonSchema): string {
  if (node.anyOf !== undefined || node.oneOf !== undefined) {
    const members = (node.anyOf ?? node.oneOf ?? []).map((member) => typeOf(deref(member, root), root));
    return [...new Set(members)].join(" | ");
  }
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  if (types.length === 0) return node.const === undefined ? "any" : typeof node.const;
  return types
    .map((type) => {
      if (type !== "array") return type;
      const items = node.items;
      return items === undefined || typeof items === "boolean" || Array.isArray(items) ? "array" : `${typeOf(deref(items, root), root)}[]`;
    })
    .join(" | ");
}

function allowedOf(node: JsonSchema, root: JsonSchema): string {
  const parts: string[] = [];
  if (node.enum !== undefined) parts.push(`one of ${node.enum.map((value) => code(JSON.stringify(value))).join(", ")}`);
  if (node.const !== undefined) parts.push(code(JSON.stringify(node.const)));
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives !== undefined) {
    const consts = alternatives.map((member) => deref(member, root).const);
    if (consts.every((value) => value !== undefined)) parts.push(`one of ${consts.map((value) => code(JSON.stringify(value))).join(", ")}`);
  }
  if (node.format !== undefined) parts.push(`format: ${node.format}`);
  // A format such as email carries zod's own regex; the format names it better than the regex.
  else if (node.pattern !== undefined) parts.push(`matches ${code(node.pattern)}`);
  if (node.minimum !== undefined && node.maximum !== undefined) parts.push(`${node.minimum} to ${node.maximum}`);
  else if (node.minimum !== undefined) parts.push(`at least ${node.minimum}`);
  else if (node.maximum !== undefined) parts.push(`at most ${node.maximum}`);
  if (node.minLength !== undefined) parts.push(`at least ${node.minLength} characters`);
  if (node.maxLength !== undefined) parts.push(`at most ${node.maxLength} characters`);
  if (node.items !== undefined && typeof node.items !== "boolean" && !Array.isArray(node.items)) {
    const items = allowedOf(deref(node.items, root), root);
    if (items !== "") parts.push(`each: ${items}`);
  }
  return parts.join("; ");
}

/**
 * Line numbers of the schema's keys, from its source: the property `web` inside
 * `stackConfigSchema`, then `minSize` inside the object literal `web` is built from, following
 * consts declared in the same file (`daily: backupRule`).
 */
export function schemaKeyLines(text: string, fileName: string, rootName = "stackConfigSchema"): Map<string, number> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const consts = new Map<string, ts.Expression>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.initializer !== undefined) consts.set(declaration.name.text, declaration.initializer);
    }
  }
  const lines = new Map<string, number>();
  const visit = (expression: ts.Expression | undefined, path: string[], seen: Set<string>): void => {
    const shape = expression === undefined ? undefined : shapeOf(expression, consts, seen);
    if (shape === undefined) return;
    for (const property of shape.properties) {
      if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
      const childPath = [...path, property.name.text];
      lines.set(childPath.join("."), source.getLineAndCharacterOfPosition(property.name.getStart(source)).line + 1);
      visit(property.initializer, childPath, seen);
    }
  };
  visit(consts.get(rootName), [], new Set([rootName]));
  return lines;
}

/** The first object literal in an expression (the shape of `z.strictObject({...})`), through local consts. */
function shapeOf(expression: ts.Expression, consts: Map<string, ts.Expression>, seen: Set<string>): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  const search = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isObjectLiteralExpression(node)) {
      found = node;
      return;
    }
    if (ts.isIdentifier(node) && !seen.has(node.text)) {
      const initializer = consts.get(node.text);
      if (initializer !== undefined) {
        found = shapeOf(initializer, consts, new Set([...seen, node.text]));
        return;
      }
    }
    ts.forEachChild(node, search);
  };
  search(expression);
  return found;
}

function lineOf(lines: Map<string, number>, path: readonly string[]): number {
  for (let length = path.length; length > 0; length--) {
    const line = lines.get(path.slice(0, length).join("."));
    if (line !== undefined) return line;
  }
  return 1;
}

/** The whole of docs/reference/config.md. */
export function renderConfig(keys: readonly ConfigKeyDoc[], source: Pick<ConfigSource, "namespace" | "tiers" | "schemaFile">, sourceLabel: string): string {
  const topLevel = keys.filter((key) => !key.path.includes("."));
  const toc = topLevel.map((key) => {
    const heading = `${source.namespace}:${key.path}`;
    return `- [${heading}](#${anchor(heading)})`;
  });
  return document([
    generatedHeader(sourceLabel),
    "# Stack config reference",
    `Every key a stack file (\`stacks/Pulumi.<stack>.yaml\`) sets under \`config:\`, in the \`${source.namespace}:\` namespace, as the schema in \`${source.schemaFile}\` accepts it. ` +
      `Whatever a stack leaves out comes from its tier's defaults (\`${source.namespace}:tier\`: ${source.tiers.map((tier) => `\`${tier}\``).join(", ")}); ` +
      "**Required** says whether a stack file must set the key itself. `shopctl config validate` checks a stack file against this schema.",
    "## Contents",
    toc.join("\n"),
    ...topLevel.map((key) => renderTopLevel(key, keys, source)),
  ]);
}

function renderTopLevel(key: ConfigKeyDoc, keys: readonly ConfigKeyDoc[], source: Pick<ConfigSource, "namespace" | "tiers">): string {
  const blocks = [`## ${source.namespace}:${key.path}`];
  const header = ["Key", "Type", "Allowed", "Required", ...source.tiers.map((tier) => `Default (${tier})`), "Description"];
  if (!key.isObject) {
    blocks.push(table(header, [row(key, key.path)]));
    return blocks.join("\n\n");
  }
  if (key.description !== "") blocks.push(escapeHtml(key.description));
  blocks.push(`Type: object · Required: ${requiredText(key)}`);
  const fields = keys.filter((candidate) => candidate.path.startsWith(`${key.path}.`));
  blocks.push(table(header, fields.map((field) => row(field, field.path.slice(key.path.length + 1)))));
  return blocks.join("\n\n");
}

function row(key: ConfigKeyDoc, name: string): string[] {
  const defaults = key.isObject
    ? key.defaults.map(() => "see fields")
    : key.defaults.map(({ value }) => (value === undefined ? "" : code(JSON.stringify(value))));
  return [code(name), code(key.type), key.allowed, requiredText(key), ...defaults, key.description];
}

/** "yes" only when a stack file has to set the key: the schema wants it and some tier has no default. */
function requiredText(key: ConfigKeyDoc): string {
  if (!key.required) return "no";
  const missing = key.defaults.filter(({ value }) => value === undefined).map(({ tier }) => tier);
  if (missing.length === 0) return "no (tier default)";
  if (missing.length === key.defaults.length) return "**yes**";
  return `**yes** in ${missing.join(", ")}`;
}
