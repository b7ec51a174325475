import * as pulumi from "@pulumi/pulumi";

const SUBNET_TYPE = "aws:ec2/subnet:Subnet";

/**
 * Turns off `mapPublicIpOnLaunch` on the subnets it sees. awsx 3.x sets it on every public subnet
 * and has no argument for it; the engine applies a component's resource transforms to the children
 * a remote component such as awsx's Vpc registers, so this reaches awsx's subnets.
 */
export const noPublicIpOnLaunch: pulumi.ResourceTransform = ({ type, props, opts }) =>
  type === SUBNET_TYPE ? { props: { ...props, mapPublicIpOnLaunch: false }, opts } : undefined;

/**
 * The resource transforms awsx's Vpc gets: `noPublicIpOnLaunch` unless the user opted in to public
 * IPs. None under Pulumi's mocks (no engine), which refuse resource transforms and register no
 * awsx children to apply them to.
 */
export function subnetTransforms(mapPublicIpOnLaunch: boolean, onEngine: boolean = pulumi.runtime.getEngine() !== undefined): pulumi.ResourceTransform[] {
  return mapPublicIpOnLaunch || !onEngine ? [] : [noPublicIpOnLaunch];
}
