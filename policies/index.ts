// The CrossGuard entry point (PulumiPolicy.yaml runs this module): the only place that constructs
// the PolicyPack, because the constructor serves the policies to the Pulumi CLI over gRPC.
import { PolicyPack } from "@pulumi/policy";
import { initialConfig, PACK_DESCRIPTION, PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./pack.js";

new PolicyPack(PACK_NAME, {
  policies: [...policies],
  description: PACK_DESCRIPTION,
  provider: "aws",
  tags: ["aws", "pci-dss-v4", "gdpr", "shop-platform"],
  // Policies declare their own level; this only covers a policy that would not, strictly.
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
}, initialConfig);
