import type {
  PolicyConfigSchema,
  ResourceValidation,
  ResourceValidationPolicy,
  Severity,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";
import { GDPR_ARTICLES, PCI_DSS_V4, type Compliance } from "./compliance.js";

/** The two levels the pack declares; a config file may still raise, lower or disable any policy. */
export type DeclaredEnforcement = "mandatory" | "advisory";

/** The service areas policies are grouped by (one module each under policies/rules/). */
export type Service =
  | "s3" | "cloudfront" | "waf" | "load-balancer" | "compute" | "rds" | "opensearch" | "kms"
  | "observability" | "backup" | "network" | "iam" | "governance";

/** What every shop-guardrails policy declares on top of Pulumi's own policy fields. */
export interface PolicyMetadata {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: DeclaredEnforcement;
  readonly severity: Severity;
  readonly service: Service;
  readonly compliance: Compliance;
  /** What to change, in the words of this platform's components and config keys. */
  readonly remediationSteps: string;
  /** Why an advisory policy is not mandatory (where dev legitimately differs). */
  readonly advisoryBecause?: string;
  readonly configSchema?: PolicyConfigSchema;
}

export type ShopResourcePolicy = ResourceValidationPolicy & PolicyMetadata & {
  readonly validateResource: ResourceValidation | ResourceValidation[];
};
export type ShopStackPolicy = StackValidationPolicy & PolicyMetadata;
export type ShopPolicy = ShopResourcePolicy | ShopStackPolicy;

export function isStackPolicy(policy: ShopPolicy): policy is ShopStackPolicy {
  return "validateStack" in policy;
}

/** Pulumi's own `framework` and `tags` fields, filled from the compliance references. */
function pulumiFields(metadata: PolicyMetadata) {
  const { pciDss, gdpr } = metadata.compliance;
  return {
    framework: { name: "PCI DSS", version: "4.0", reference: pciDss, specification: PCI_DSS_V4[pciDss] },
    tags: [metadata.service, `pci-dss-v4:${pciDss}`, `gdpr:${gdpr}`],
  };
}

function checked(metadata: PolicyMetadata): void {
  if (metadata.enforcementLevel === "advisory" && metadata.advisoryBecause === undefined) {
    throw new Error(`policy ${metadata.name} is advisory: say why in advisoryBecause`);
  }
  if (!(metadata.compliance.gdpr in GDPR_ARTICLES)) throw new Error(`policy ${metadata.name}: unknown GDPR article`);
}

export function resourcePolicy(
  spec: PolicyMetadata & { readonly validateResource: ResourceValidation | ResourceValidation[] },
): ShopResourcePolicy {
  checked(spec);
  return { ...spec, ...pulumiFields(spec) };
}

export function stackPolicy(spec: PolicyMetadata & { readonly validateStack: StackValidation }): ShopStackPolicy {
  checked(spec);
  return { ...spec, ...pulumiFields(spec) };
}
