import { readdirSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { anchor, code, document, escapeHtml, generatedHeader, table } from "./markdown.js";
import type { Problem } from "./problems.js";

/** One property of a component's args (or of an interface nested one level inside them). */
export interface PropertyDoc {
  /** `tier`, or `transforms.bucket` for a member of a nested interface. */
  name: string;
  /** The type as written in the source, whitespace collapsed. */
  type: string;
  optional: boolean;
  description: string;
  /** The `@default` tag's text; undefined when the property has none. */
  defaultValue: string | undefined;
  deprecated: string | undefined;
  /** The interface or type alias that declares it (`DatabaseInstanceArgs` for an inherited arg). */
  owner: string;
  /** Where the property is declared, relative to the repository root. */
  file: string;
  line: number;
  /** Members of a named interface or inline object type this property's type refers to (one level). */
  children: PropertyDoc[];
}

export interface OutputDoc {
  name: string;
  type: string;
  description: string;
}

export interface ComponentDoc {
  name: string;
  /** The type token passed to `super`, e.g. `shop:storage:AssetBucket`. */
  token: string | undefined;
  file: string;
  line: number;
  summary: string;
  examples: string[];
  /** The constructor's second parameter's type as written; undefined when it takes no args. */
  argsType: string | undefined;
  args: PropertyDoc[];
  outputs: OutputDoc[];
}

export interface ExtractOptions {
  /** The repository root: paths in docs and problems are relative to it. */
  repoRoot: string;
  /** The folder scanned for components; interfaces declared under it are expanded one level. */
  componentsDir: string;
  /** Files to read; by default every non-test .ts file under componentsDir. */
  files?: readonly string[];
}

/** A type alias declared in the components folder that args refer to (`Transform<T>`, `NatGatewayMode`). */
export interface TypeAliasDoc {
  /** `Transform<T>`: the name with its type parameters. */
  name: string;
  definition: string;
  /** What the definition comes to, when that says more (`(typeof X)[number]` as its literals). */
  resolved: string | undefined;
  description: string;
  examples: string[];
  file: string;
  line: number;
}

export interface ComponentExtraction {
  components: ComponentDoc[];
  /** Type aliases the args use, sorted by name; listed once at the end of the reference. */
  types: TypeAliasDoc[];
  problems: Problem[];
}

export function componentSourceFiles(componentsDir: string): string[] {
  return readdirSync(componentsDir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.endsWith(".d.ts"))
    .map((file) => path.join(componentsDir, file))
    .sort();
}

/** Parse the components and describe every exported class that extends ComponentResource. */
export function extractComponents(options: ExtractOptions): ComponentExtraction {
  const componentsDir = path.resolve(options.componentsDir);
  const files = (options.files ?? componentSourceFiles(componentsDir)).map((file) => path.resolve(file));
  // noResolve: only the components' own declarations matter, and skipping the Pulumi and AWS
  // typings makes this take seconds instead of a quarter of a minute.
  const program = ts.createProgram(files, {
    noResolve: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
  });
  const context: Context = { checker: program.getTypeChecker(), repoRoot: path.resolve(options.repoRoot), componentsDir, aliases: new Map() };
  const components: ComponentDoc[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) continue;
    for (const statement of source.statements) {
      if (ts.isClassDeclaration(statement) && isExported(statement) && extendsComponentResource(statement)) {
        components.push(describeComponent(statement, context));
      }
    }
  }
  components.sort((a, b) => compare(a.name, b.name) || compare(a.file, b.file));
  const types = [...context.aliases.values()].sort((a, b) => compare(a.name, b.name) || compare(a.file, b.file));
  return { components, types, problems: completenessProblems(components) };
}

interface Context {
  checker: ts.TypeChecker;
  repoRoot: string;
  componentsDir: string;
  /** Type aliases met in args types, by `file:line`. */
  aliases: Map<string, TypeAliasDoc>;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isExported(node: ts.ClassDeclaration): boolean {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
}

function extendsComponentResource(node: ts.ClassDeclaration): boolean {
  const extendsClause = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
  const base = extendsClause?.types[0]?.expression.getText();
  return base !== undefined && /(^|\.)ComponentResource$/.test(base);
}

function where(node: ts.Node, context: Context): { file: string; line: number } {
  const source = node.getSourceFile();
  const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
  return { file: path.relative(context.repoRoot, source.fileName).split(path.sep).join("/"), line: line + 1 };
}

interface JsDoc {
  description: string;
  tags: { name: string; text: string }[];
}

/** The JSDoc block nearest the node: its text and tags (TypeScript has parsed them already). */
function jsDocOf(node: ts.Node): JsDoc {
  const blocks = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const block = blocks.at(-1);
  if (block === undefined) return { description: "", tags: [] };
  return {
    description: (ts.getTextOfJSDocComment(block.comment) ?? "").trim(),
    tags: (block.tags ?? []).map((tag) => ({ name: tag.tagName.text, text: (ts.getTextOfJSDocComment(tag.comment) ?? "").trim() })),
  };
}

function tagText(doc: JsDoc, name: string): string | undefined {
  return doc.tags.find((tag) => tag.name === name)?.text;
}

function describeComponent(node: ts.ClassDeclaration, context: Context): ComponentDoc {
  const doc = jsDocOf(node);
  const constructor = node.members.find((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined);
  // The args are the parameter after the name; a component without args takes only (name, opts).
  const argsParameter = constructor?.parameters.slice(1).find((parameter) => !/ResourceOptions\b/.test(parameter.type?.getText() ?? ""));
  const argsTypeNode = argsParameter?.type;
  return {
    name: node.name?.text ?? "(anonymous)",
    token: constructor === undefined ? undefined : typeToken(constructor, context),
    ...where(node.name ?? node, context),
    summary: doc.description,
    examples: doc.tags.filter((tag) => tag.name === "example").map((tag) => tag.text),
    argsType: argsTypeNode === undefined ? undefined : oneLine(argsTypeNode.getText()),
    args: argsTypeNode === undefined ? [] : propertiesOf(context.checker.getTypeFromTypeNode(argsTypeNode), "", context, true),
    outputs: outputsOf(node, context),
  };
}

/** The first argument of the constructor's `super(...)` call: a string literal or a const bound to one. */
function typeToken(constructor: ts.ConstructorDeclaration, context: Context): string | undefined {
  let token: string | undefined;
  const visit = (node: ts.Node): void => {
    if (token !== undefined) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
      token = stringValue(node.arguments[0], context);
      return;
    }
    ts.forEachChild(node, visit);
  };
  if (constructor.body !== undefined) visit(constructor.body);
  return token;
}

function stringValue(node: ts.Expression | undefined, context: Context): string | undefined {
  if (node === undefined) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isIdentifier(node)) {
    const declaration = context.checker.getSymbolAtLocation(node)?.valueDeclaration;
    if (declaration !== undefined && ts.isVariableDeclaration(declaration)) return stringValue(declaration.initializer, context);
  }
  return undefined;
}

/** Source text on one line, without comments: an inline object type's members are documented in their own rows. */
function oneLine(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|\s)\/\/[^\n]*/g, "$1")
    .replace(/\s+/g, " ")
    .replace(/\{ /g, "{ ")
    .trim();
}

function isUnder(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** A property or method signature declared in the components folder (not in a library). */
function memberDeclaration(symbol: ts.Symbol, context: Context): ts.PropertySignature | ts.MethodSignature | undefined {
  const declaration = symbol.declarations?.find((candidate) => ts.isPropertySignature(candidate) || ts.isMethodSignature(candidate));
  if (declaration === undefined || !isUnder(declaration.getSourceFile().fileName, context.componentsDir)) return undefined;
  return declaration;
}

function propertiesOf(type: ts.Type, prefix: string, context: Context, expand: boolean): PropertyDoc[] {
  const docs: PropertyDoc[] = [];
  for (const symbol of context.checker.getPropertiesOfType(context.checker.getNonNullableType(type))) {
    const declaration = memberDeclaration(symbol, context);
    if (declaration === undefined) continue;
    const doc = jsDocOf(declaration);
    const name = `${prefix}${symbol.name}`;
    if (declaration.type !== undefined) collectAliases(declaration.type, context);
    const typeText = ts.isPropertySignature(declaration)
      ? oneLine(declaration.type?.getText() ?? "unknown")
      : oneLine(declaration.getText().replace(/^[^(<]*/, ""));
    docs.push({
      name,
      type: typeText,
      optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0,
      description: doc.description,
      defaultValue: tagText(doc, "default"),
      deprecated: tagText(doc, "deprecated"),
      owner: ownerName(declaration),
      ...where(declaration, context),
      children: expand && ts.isPropertySignature(declaration) ? nestedProperties(declaration, name, context) : [],
    });
  }
  return docs;
}

function ownerName(declaration: ts.PropertySignature | ts.MethodSignature): string {
  const parent = declaration.parent;
  if (ts.isInterfaceDeclaration(parent)) return parent.name.text;
  if (ts.isTypeLiteralNode(parent) && ts.isTypeAliasDeclaration(parent.parent)) return parent.parent.name.text;
  return "";
}

/**
 * The members of the object type a property refers to, when they are declared in the components
 * folder: a named interface (`BucketTransforms`), an inline object type, an intersection of both,
 * or an array of one. One level only, so the reference stays a table and not a tree.
 */
function nestedProperties(declaration: ts.PropertySignature, name: string, context: Context): PropertyDoc[] {
  const { checker } = context;
  if (declaration.type === undefined) return [];
  let type = checker.getNonNullableType(checker.getTypeFromTypeNode(declaration.type));
  let prefix = `${name}.`;
  if (checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    if (element === undefined) return [];
    type = element;
    prefix = `${name}[].`;
  }
  const direct = propertiesOf(type, prefix, context, false);
  if (direct.length > 0) return direct;
  // Wrappers from unresolved libraries (pulumi.Input<T>) read as `any`: fall back to the named
  // interfaces written inside the type.
  return referencedInterfaces(declaration.type, context).flatMap((found) =>
    propertiesOf(checker.getDeclaredTypeOfSymbol(found.symbol), found.array ? `${name}[].` : prefix, context, false),
  );
}

function referencedInterfaces(typeNode: ts.TypeNode, context: Context): { symbol: ts.Symbol; array: boolean }[] {
  const found: { symbol: ts.Symbol; array: boolean }[] = [];
  const visit = (node: ts.Node, array: boolean): void => {
    if (ts.isTypeReferenceNode(node)) {
      let symbol = context.checker.getSymbolAtLocation(node.typeName);
      if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = context.checker.getAliasedSymbol(symbol);
      const declaration = symbol?.declarations?.find(ts.isInterfaceDeclaration);
      if (symbol !== undefined && declaration !== undefined && isUnder(declaration.getSourceFile().fileName, context.componentsDir)) {
        found.push({ symbol, array });
      }
    }
    ts.forEachChild(node, (child) => { visit(child, array || ts.isArrayTypeNode(node)); });
  };
  visit(typeNode, false);
  return found;
}

/** Record the type aliases from the components folder that a type refers to, such as `Transform`. */
function collectAliases(typeNode: ts.TypeNode, context: Context): void {
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) {
      let symbol = context.checker.getSymbolAtLocation(node.typeName);
      if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = context.checker.getAliasedSymbol(symbol);
      const declaration = symbol?.declarations?.find(ts.isTypeAliasDeclaration);
      if (declaration !== undefined && !ts.isTypeLiteralNode(declaration.type) && isUnder(declaration.getSourceFile().fileName, context.componentsDir)) {
        const at = where(declaration.name, context);
        const key = `${at.file}:${at.line}`;
        // Aliases of library types (the AWS SDK's) are not resolved here and say nothing on their own.
        const aliased = context.checker.getTypeAtLocation(declaration.name);
        const resolved = valuesOfConst(declaration.type, context)
          ?? literalUnion(aliased)
          ?? context.checker.typeToString(aliased, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias);
        if (!context.aliases.has(key) && (aliased.flags & ts.TypeFlags.Any) === 0) {
          const doc = jsDocOf(declaration);
          const definition = oneLine(declaration.type.getText());
          const parameters = declaration.typeParameters === undefined ? "" : `<${declaration.typeParameters.map((parameter) => parameter.getText()).join(", ")}>`;
          context.aliases.set(key, {
            name: `${declaration.name.text}${parameters}`,
            definition,
            resolved: /typeof|keyof/.test(definition) && resolved !== definition ? resolved : undefined,
            description: doc.description,
            examples: doc.tags.filter((tag) => tag.name === "example").map((tag) => tag.text),
            ...at,
          });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(typeNode);
}

/**
 * `(typeof X)[number]` and `keyof typeof X` spelled out from X's initializer, in source order.
 * The checker orders a union by the order its literal types were first created, which shifts when
 * an unrelated file mentions one of the values first; the source order does not.
 */
function valuesOfConst(typeNode: ts.TypeNode, context: Context): string | undefined {
  let query: ts.TypeQueryNode | undefined;
  let keys = false;
  if (ts.isIndexedAccessTypeNode(typeNode)) {
    const object = ts.isParenthesizedTypeNode(typeNode.objectType) ? typeNode.objectType.type : typeNode.objectType;
    if (ts.isTypeQueryNode(object) && typeNode.indexType.getText() === "number") query = object;
  } else if (ts.isTypeOperatorNode(typeNode) && typeNode.operator === ts.SyntaxKind.KeyOfKeyword && ts.isTypeQueryNode(typeNode.type)) {
    query = typeNode.type;
    keys = true;
  }
  if (query === undefined) return undefined;
  const declaration = context.checker.getSymbolAtLocation(query.exprName)?.valueDeclaration;
  let initializer = declaration !== undefined && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
  while (initializer !== undefined && (ts.isAsExpression(initializer) || ts.isSatisfiesExpression(initializer) || ts.isParenthesizedExpression(initializer))) {
    initializer = initializer.expression;
  }
  if (initializer === undefined) return undefined;
  if (!keys && ts.isArrayLiteralExpression(initializer) && initializer.elements.every((element) => ts.isStringLiteral(element) || ts.isNumericLiteral(element))) {
    return initializer.elements.map((element) => (ts.isStringLiteral(element) ? JSON.stringify(element.text) : element.getText())).join(" | ");
  }
  if (keys && ts.isObjectLiteralExpression(initializer)) {
    const names = initializer.properties.map((property) => property.name !== undefined && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined);
    if (names.every((name) => name !== undefined)) return names.map((name) => JSON.stringify(name)).join(" | ");
  }
  return undefined;
}

/** A union of number literals in ascending order (the checker keeps them in creation order). */
function literalUnion(type: ts.Type): string | undefined {
  if (!type.isUnion() || !type.types.every((member) => member.isNumberLiteral())) return undefined;
  return type.types.map((member) => member.value).sort((a, b) => a - b).join(" | ");
}

function outputsOf(node: ts.ClassDeclaration, context: Context): OutputDoc[] {
  const outputs: OutputDoc[] = [];
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
    const flags = ts.getCombinedModifierFlags(member);
    if ((flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Static)) !== 0) continue;
    const type = member.type === undefined
      ? context.checker.typeToString(context.checker.getTypeAtLocation(member))
      : oneLine(member.type.getText());
    outputs.push({ name: member.name.text, type, description: jsDocOf(member).description });
  }
  return outputs;
}

/**
 * What a developer must add before the reference is complete. Args declared once and inherited
 * by several components (a shared base interface) are reported once.
 */
export function completenessProblems(components: readonly ComponentDoc[]): Problem[] {
  const problems = new Map<string, Problem>();
  const add = (problem: Problem): void => { problems.set(`${problem.file}:${problem.line}:${problem.message}`, problem); };
  for (const component of components) {
    const at = { file: component.file, line: component.line };
    if (component.summary === "") add({ ...at, message: `class ${component.name} has no JSDoc summary` });
    if (component.examples.length === 0) add({ ...at, message: `class ${component.name} has no @example in its JSDoc` });
    if (component.token === undefined) add({ ...at, message: `class ${component.name}: no string type token found in its constructor's super(...) call` });
    for (const property of component.args) {
      const where = { file: property.file, line: property.line };
      // Named after the declaring interface, so an arg several components inherit is reported once.
      const name = `${property.owner || component.argsType || "args"}.${property.name}`;
      if (property.description === "") add({ ...where, message: `${name} has no description (JSDoc comment)` });
      if (property.optional && property.defaultValue === undefined) add({ ...where, message: `${name} is optional but has no @default tag` });
    }
  }
  return [...problems.values()];
}

/** The whole of docs/reference/components.md. */
export function renderComponents(components: readonly ComponentDoc[], types: readonly TypeAliasDoc[] = [], sourceLabel = "components/**/*.ts"): string {
  const toc = components.map((component) => `- [${component.name}](#${anchor(component.name)})${component.token ? ` — ${code(component.token)}` : ""}`);
  if (types.length > 0) toc.push(`- [Types used by the args](#${anchor("Types used by the args")})`);
  return document([
    generatedHeader(sourceLabel),
    "# Component reference",
    "Every Pulumi component in `components/`: its type token, what it is for, an example, and every argument its constructor takes. " +
      "Nested rows (`transforms.bucket`) are the members of an interface an argument refers to.",
    "## Contents",
    toc.join("\n"),
    ...components.map(renderComponent),
    ...(types.length === 0 ? [] : ["## Types used by the args", ...types.map(renderAlias)]),
  ]);
}

function renderAlias(alias: TypeAliasDoc): string {
  // File names only, no line numbers: an edit elsewhere in the file must not make the reference stale.
  const blocks = [`### ${alias.name}`, `Source: \`${alias.file}\``, `\`\`\`ts\ntype ${alias.name} = ${alias.definition};\n\`\`\``];
  if (alias.resolved !== undefined) blocks.push(`That is: ${code(alias.resolved)}`);
  if (alias.description !== "") blocks.push(escapeHtml(alias.description));
  for (const example of alias.examples) blocks.push(`**Example**\n\n${fencedExample(example)}`);
  return blocks.join("\n\n");
}

function renderComponent(component: ComponentDoc): string {
  const blocks = [`## ${component.name}`];
  blocks.push(`Type token: ${component.token ? code(component.token) : "(not found)"} · Source: \`${component.file}\``);
  if (component.summary !== "") blocks.push(escapeHtml(component.summary));
  for (const example of component.examples) blocks.push(`**Example**\n\n${fencedExample(example)}`);
  if (component.argsType === undefined) {
    blocks.push("This component takes no args.");
  } else {
    blocks.push(`### Args: ${code(component.argsType)}`);
    const rows = component.args.flatMap((property) => [property, ...property.children]).map(propertyRow);
    blocks.push(rows.length > 0 ? table(["Property", "Type", "Required", "Default", "Description"], rows) : "No properties.");
  }
  if (component.outputs.length > 0) {
    blocks.push("### Outputs");
    blocks.push(table(["Property", "Type", "Description"], component.outputs.map((output) => [code(output.name), code(output.type), output.description])));
  }
  return blocks.join("\n\n");
}

/** `{ role?: …; policy?: … }` shown as `{ … }` when its members have rows of their own just below. */
function collapseObjectTypes(type: string): string {
  let result = "";
  let depth = 0;
  for (const character of type) {
    if (character === "{") {
      if (depth === 0) result += "{ … }";
      depth++;
    } else if (character === "}") {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0) {
      result += character;
    }
  }
  return result;
}

function propertyRow(property: PropertyDoc): string[] {
  const description = property.deprecated === undefined
    ? property.description
    : `**Deprecated**${property.deprecated === "" ? "" : `: ${property.deprecated}`}. ${property.description}`;
  return [
    code(property.name),
    code(property.children.length > 0 ? collapseObjectTypes(property.type) : property.type),
    property.optional ? "optional" : "required",
    property.defaultValue === undefined ? "" : literalAsCode(property.defaultValue),
    description,
  ];
}

/** `@default 90` shows as code; a sentence such as `none: no alarms` stays prose. */
function literalAsCode(value: string): string {
  return /^(-?\d[\d_.]*|"[^"]*"|'[^']*'|true|false|null|undefined|\[\]|\{\})$/.test(value) ? code(value) : value;
}

/** An @example's text as a fenced block; examples that bring their own fence keep it. */
function fencedExample(example: string): string {
  return example.trimStart().startsWith("```") ? example : `\`\`\`ts\n${example}\n\`\`\``;
}
