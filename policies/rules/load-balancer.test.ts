import { describe } from "vitest";
import { describePolicies, resource, urnOf } from "../testing.js";
import { loadBalancerPolicies } from "./load-balancer.js";

const ALB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/abc";
const CLOUDFRONT_PREFIX_LIST = "pl-4fa04526";

function balancer(overrides: Record<string, unknown> = {}, type = "aws:lb/loadBalancer:LoadBalancer") {
  return resource(type, "web-alb", {
    arn: ALB_ARN, id: ALB_ARN, loadBalancerType: "application", internal: false, securityGroups: ["sg-alb"],
    accessLogs: { bucket: "shop-alb-logs", enabled: true }, dropInvalidHeaderFields: true, enableDeletionProtection: true,
    ...overrides,
  });
}

function listener(name: string, props: Record<string, unknown>, type = "aws:lb/listener:Listener") {
  return resource(type, name, { loadBalancerArn: ALB_ARN, ...props });
}

const https = (overrides: Record<string, unknown> = {}) => listener("https", {
  port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: "arn:aws:acm:eu-west-1:1:certificate/x",
  defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }], ...overrides,
});
const httpRedirect = () => listener("http", { port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] });

function albGroup(ingress: Record<string, unknown>[] = [{ protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: [CLOUDFRONT_PREFIX_LIST] }]) {
  return resource("aws:ec2/securityGroup:SecurityGroup", "alb-sg", { id: "sg-alb", ingress, egress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: ["sg-web"] }] });
}

describe("load balancer policies", () => {
  describePolicies(loadBalancerPolicies, {
    "alb-https-only": {
      passing: [{ label: "HTTPS plus an HTTP redirect", resources: () => [balancer(), https(), httpRedirect()] }],
      violating: [
        { label: "HTTP only (a dev stack without a domain)", resources: () => [balancer(), listener("http", { port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] })], message: /web-alb has no HTTPS listener[\s\S]*Listener http serves plain HTTP/ },
        { label: "the alb module's types", resources: () => [balancer({}, "aws:alb/loadBalancer:LoadBalancer"), listener("http", { port: 80, protocol: "HTTP", defaultActions: [{ type: "forward" }] }, "aws:alb/listener:Listener")], message: /no HTTPS listener/ },
      ],
    },
    "alb-tls-policy": {
      passing: [
        { label: "a TLS 1.3/1.2 policy", resources: () => [https()] },
        { label: "an FS 1.2 policy on the alb module's listener", resources: () => [listener("https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-FS-1-2-Res-2020-10" }, "aws:alb/listener:Listener")] },
        { label: "not applicable to HTTP listeners", resources: () => [httpRedirect()] },
      ],
      violating: [
        { label: "the 2016 policy", resources: () => [https({ sslPolicy: "ELBSecurityPolicy-2016-08" })], message: /ELBSecurityPolicy-2016-08 allows TLS versions below 1.2/ },
        { label: "no policy", resources: () => [https({ sslPolicy: undefined })], message: /sets no sslPolicy/ },
      ],
    },
    "alb-access-logs": {
      passing: [
        { label: "access logs on", resources: () => [balancer()] },
        { label: "not applicable to network load balancers", resources: () => [balancer({ loadBalancerType: "network", accessLogs: undefined })] },
      ],
      violating: [
        { label: "no access logs", resources: () => [balancer({ accessLogs: undefined })], message: /writes no access logs/ },
        { label: "logs disabled", resources: () => [balancer({ accessLogs: { bucket: "b", enabled: false } }, "aws:alb/loadBalancer:LoadBalancer")], message: /writes no access logs/ },
      ],
    },
    "alb-drop-invalid-headers": {
      passing: [{ label: "dropping invalid headers", resources: () => [balancer()] }],
      violating: [{ label: "forwarding them", resources: () => [balancer({ dropInvalidHeaderFields: false })], message: /forwards invalid HTTP header fields/ }],
    },
    "alb-deletion-protection": {
      passing: [{ label: "protected", resources: () => [balancer()] }],
      violating: [{ label: "unprotected", resources: () => [balancer({ enableDeletionProtection: undefined })], message: /no deletion protection/ }],
    },
    "alb-cloudfront-only": {
      passing: [
        { label: "ingress from CloudFront's prefix list only", resources: () => [balancer(), albGroup()] },
        { label: "an internal ALB", resources: () => [balancer({ internal: true }), albGroup([{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }])] },
        {
          label: "a separate ingress rule resource from the prefix list",
          resources: () => [balancer(), albGroup([]), resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-from-cloudfront", { securityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 80, toPort: 80, prefixListId: CLOUDFRONT_PREFIX_LIST })],
        },
      ],
      violating: [
        { label: "world ingress", resources: () => [balancer(), albGroup([{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }])], message: /alb-sg of load balancer web-alb allows ingress tcp 443-443 from 0.0.0.0\/0/, urn: urnOf("aws:ec2/securityGroup:SecurityGroup", "alb-sg") },
        {
          label: "a separate world rule",
          resources: () => [balancer(), albGroup(), resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-world", { securityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" })],
          message: /allows ingress tcp 80-80 from 0.0.0.0\/0/,
        },
        { label: "an unknown prefix list", resources: () => [balancer(), albGroup([{ protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: ["pl-0123456789abcdef0"] }])], message: /pl-0123456789abcdef0, not only CloudFront/ },
        { label: "no security group", resources: () => [balancer({ securityGroups: [] })], message: /no security group of its own/ },
      ],
    },
  });
});
