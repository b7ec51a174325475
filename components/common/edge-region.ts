import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "./regions.js";

export { EDGE_REGION };

/**
 * The region of `parent`'s AWS provider, which must be the edge region: the Output fails with a
 * clear error otherwise. Register it among the component's outputs so a wrong provider fails the
 * deployment; regional children also name `region: EDGE_REGION` so none is ever created elsewhere.
 */
export function checkedEdgeRegion(parent: pulumi.Resource, what: string): pulumi.Output<string> {
  return aws.getRegionOutput({}, { parent }).region.apply((region) => {
    if (region !== EDGE_REGION) {
      throw new Error(
        `${what} must be created with an aws.Provider for ${EDGE_REGION} (CloudFront's certificates, web ACLs and logs live only there), ` +
          `but its provider is in ${region}. Pass { provider: <the edge provider> }.`,
      );
    }
    return region;
  });
}
