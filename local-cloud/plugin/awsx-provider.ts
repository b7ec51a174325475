import type * as pulumi from "@pulumi/pulumi";
import { MockCloudError } from "../errors.js";
import { unknownInvokeError } from "../mock-cloud.js";
import { constructAwsxVpc } from "./awsx-vpc-construct.js";

// The `awsx` provider plugin serves components only, which is what the SDK's provider server
// (`pulumi.provider.main`) does well: its Construct sets up the SDK runtime against the engine's
// monitor, rebuilds the resource options (parent, inherited providers) and serializes the
// component's state with resource references. Its CRUD shortcomings (see aws-provider.ts) do not
// matter here: awsx has no custom resources the program uses.

type Constructor = (name: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions) => Promise<pulumi.provider.ConstructResult>;

const constructors: Readonly<Record<string, Constructor>> = {
  "awsx:ec2:Vpc": constructAwsxVpc,
};

export function awsxProvider(version: string): pulumi.provider.Provider {
  return {
    version,
    construct: async (name, type, inputs, options) => {
      const construct = constructors[type];
      if (construct === undefined) {
        throw new MockCloudError(
          `The local cloud has no model for the remote component "${type}" (resource "${name}"). Add a constructor to ` +
            `local-cloud/plugin/ and list it in local-cloud/plugin/awsx-provider.ts.`,
        );
      }
      return construct(name, inputs, options);
    },
    invoke: (token) => Promise.reject(unknownInvokeError(token)),
  };
}
