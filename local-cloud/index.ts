// The mock cloud: Pulumi mocks that answer like AWS, and a harness to run a program against them.
// Used by component and stack tests and by `shopctl preview --offline`.

export {
  awaitOutput,
  type CollectedResource,
  findResource,
  findResources,
  type MockRun,
  MockRunError,
  type RegistrationFailure,
  type Resolved,
  type RunOptions,
  runUnderMocks,
} from "./harness.js";
export { MockCloud, type MockCloudOptions, type RegistrationHints } from "./mock-cloud.js";
export { MockCloudError } from "./errors.js";
export { renderPolicyDocument } from "./invokes/policy-document.js";
export { invokeHandlers } from "./invokes/index.js";
export { componentModels, resourceModels } from "./models/index.js";
export { MOCK_ACCOUNT_ID, partitionOf } from "./aws-facts.js";
