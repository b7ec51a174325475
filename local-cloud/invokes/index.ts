import { accountInvokes } from "./account.js";
import { computeLookups } from "./compute-lookups.js";
import { edgeLookups } from "./edge-lookups.js";
import { identityLookups } from "./identity-lookups.js";
import type { InvokeHandler } from "./invoke-context.js";

/** Every invoke token the mock cloud answers. `getX` and `getXOutput` share one token. */
export const invokeHandlers: Readonly<Record<string, InvokeHandler>> = {
  ...accountInvokes,
  ...computeLookups,
  ...identityLookups,
  ...edgeLookups,
};
