// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Who may import whom (README.md, "Layout"). A relative import is matched by the top-level folder it
// climbs to, `^(../)+name/`: no folder below the root reuses these names. no-restricted-imports sees
// static imports and re-exports only, so the same patterns also go to no-restricted-syntax for
// dynamic import(), which is how shopctl loads its commands (and what they need) lazily.

/** @typedef {{ regex: string, message: string }} Boundary */

/**
 * @param {string[]} folders top-level folders of the repository
 * @param {string} [except] a path below one of them that stays allowed (its public entry)
 */
const climbsTo = (folders, except) =>
  String.raw`^(\.\./)+(${folders.join("|")})/` + (except === undefined ? "" : `(?!${except.replaceAll(".", String.raw`\.`)}$)`);

/** @type {Boundary} */
const NO_AWS_SDK = { regex: "^@aws-sdk/", message: "" };

/**
 * @param {Boundary[]} patterns
 * @returns {import("eslint").Linter.RulesRecord}
 */
function boundaries(patterns) {
  return {
    "no-restricted-imports": ["error", { patterns: patterns.map(({ regex, message }) => ({ regex, message })) }],
    "no-restricted-syntax": [
      "error",
      ...patterns.map(({ regex, message }) => ({ selector: `ImportExpression[source.value=/${regex.replaceAll("/", "\\/")}/]`, message })),
    ],
  };
}

const TESTS = ["**/*.test.ts", "**/test-fixtures.ts", "**/testing/**"];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "policies/node_modules/**", ".data/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["eslint.config.js"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Pulumi components register children in their constructors; `new X(...)` for side effects is the idiom.
      "no-new": "off",
    },
  },
  {
    // Components and the program read like a table of contents: a constructor or a composition
    // longer than a screen is split into named steps.
    files: ["components/**/*.ts", "stacks/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true }],
    },
  },
  {
    files: ["components/**/*.ts"],
    ignores: TESTS,
    rules: boundaries([
      { regex: climbsTo(["cli", "policies", "stacks", "apps", "local-cloud"]), message: "components/ never imports cli/, policies/, stacks/, apps/ or local-cloud/: a component depends on @pulumi/* (and components/) only." },
      { ...NO_AWS_SDK, message: "components/ make no AWS API calls: declare resources through @pulumi/aws, never the AWS SDK (@aws-sdk/*)." },
    ]),
  },
  {
    // Component tests run under the mock cloud (local-cloud/) and check that the ops role grants what
    // the DR commands call (cli/dr/): both crossings are the point of those tests.
    files: TESTS.map((glob) => `components/${glob}`),
    rules: boundaries([
      { regex: climbsTo(["policies", "stacks", "apps"]), message: "components/ (tests included) never imports policies/, stacks/ or apps/." },
      { ...NO_AWS_SDK, message: "components/ make no AWS API calls: declare resources through @pulumi/aws, never the AWS SDK (@aws-sdk/*)." },
    ]),
  },
  {
    files: ["stacks/**/*.ts"],
    rules: boundaries([
      { regex: climbsTo(["cli", "policies", "apps"]), message: "stacks/ composes components (and runs under local-cloud/ offline); it never imports cli/, policies/ or apps/." },
      { ...NO_AWS_SDK, message: "stacks/ makes no AWS API calls: no AWS SDK (@aws-sdk/*); read what AWS knows through @pulumi/aws." },
    ]),
  },
  {
    files: ["cli/**/*.ts"],
    ignores: TESTS,
    rules: boundaries([
      { regex: climbsTo(["components"]), message: "cli/ never imports a component directly: it reaches the infrastructure through stacks/." },
      { regex: climbsTo(["policies"], "api.js"), message: "cli/ reaches policies/ only through its public entry, policies/api.js (index.ts is the CrossGuard entry and starts a gRPC server)." },
      { regex: climbsTo(["apps"], "storefront/src/catalog/index.js"), message: "cli/ reaches the storefront only through the catalog's public entry, apps/storefront/src/catalog/index.js." },
      { regex: "^@shop-platform/policies(/|$)", message: "cli/ reaches policies/ only through policies/api.js; the package's main is the CrossGuard entry, which starts a gRPC server." },
    ]),
  },
  {
    // A few CLI tests compare with what a component renders (the drill's user data): that crossing is
    // their point. The public entries still hold.
    files: TESTS.map((glob) => `cli/${glob}`),
    rules: boundaries([
      { regex: climbsTo(["policies"], "api.js"), message: "cli/ (tests included) reaches policies/ only through its public entry, policies/api.js." },
      { regex: climbsTo(["apps"], "storefront/src/catalog/index.js"), message: "cli/ (tests included) reaches the storefront only through the catalog's public entry, apps/storefront/src/catalog/index.js." },
      { regex: "^@shop-platform/policies(/|$)", message: "cli/ reaches policies/ only through policies/api.js." },
    ]),
  },
  {
    // The local cloud is Pulumi's mock runtime and a provider plugin: @pulumi/* plus the plugin's
    // gRPC libraries (@grpc/grpc-js, google-protobuf) and Node.js; nothing of the repository above it.
    files: ["local-cloud/**/*.ts"],
    rules: boundaries([
      { regex: climbsTo(["components", "stacks", "cli", "policies", "apps"]), message: "local-cloud/ depends on @pulumi/* (and its own gRPC plumbing) only: it never imports components/, stacks/, cli/, policies/ or apps/." },
      { ...NO_AWS_SDK, message: "local-cloud/ simulates AWS; it never calls it: no AWS SDK (@aws-sdk/*)." },
    ]),
  },
  {
    files: ["apps/**/*.ts"],
    rules: boundaries([
      { regex: climbsTo(["components", "stacks", "cli", "policies", "local-cloud"]), message: "apps/ is the workload: it imports nothing from the infrastructure (components/, stacks/, cli/, policies/, local-cloud/)." },
    ]),
  },
  {
    files: ["policies/**/*.ts"],
    rules: boundaries([
      { regex: climbsTo(["cli"]), message: "policies/ never imports cli/: the CLI depends on the pack, not the other way round." },
    ]),
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["eslint.config.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
