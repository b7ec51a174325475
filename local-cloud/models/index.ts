import type { Properties } from "../property-values.js";
import type { ModelTable, ResourceContext } from "../resource-model.js";
import { awsxVpcOutputs } from "./awsx-vpc.js";
import { backupModels } from "./backup.js";
import { computeModels } from "./compute.js";
import { dataModels } from "./data.js";
import { edgeModels } from "./edge.js";
import { networkModels } from "./network.js";
import { observabilityModels } from "./observability.js";
import { securityModels } from "./security.js";
import { deprecatedStorageTypes, storageModels } from "./storage.js";

/** Every custom resource type the mock cloud can create, by Pulumi type token. */
export const resourceModels: ModelTable = {
  ...securityModels,
  ...storageModels,
  ...edgeModels,
  ...networkModels,
  ...computeModels,
  ...dataModels,
  ...observabilityModels,
  ...backupModels,
};

/** Remote (multi-language) components: their provider never runs under mocks, so we answer for it. */
export const componentModels: Readonly<Record<string, (r: ResourceContext) => Properties>> = {
  "awsx:ec2:Vpc": awsxVpcOutputs,
};

/** Type tokens that exist but should not be used, with what to use instead. */
export const deprecatedTypes: Readonly<Record<string, string>> = deprecatedStorageTypes;
