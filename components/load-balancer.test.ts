import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { findResource, findResources, runUnderMocks } from "../local-cloud/index.js";
import type { LoadBalancerArgs } from "./load-balancer.js";

const HEADER_VALUE = "s3cr3t-origin-token-0123456789";
const BASE: LoadBalancerArgs = {
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
  domainName: "origin.shop.example.com",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  originHeaderName: "X-Origin-Verify",
  originHeaderValue: HEADER_VALUE,
  accessLogsBucket: "shop-prod-logs-123456789012",
};

async function runLoadBalancer(args: Partial<LoadBalancerArgs> = {}, region = "eu-west-1") {
  return runUnderMocks(
    async () => {
      const { LoadBalancer } = await import("./load-balancer.js");
      const provider = new aws.Provider("primary", { region });
      const lb = new LoadBalancer("shop", { ...BASE, originHeaderValue: pulumi.secret(HEADER_VALUE), ...args }, { provider });
      return {
        arn: lb.loadBalancerArn,
        arnSuffix: lb.arnSuffix,
        dnsName: lb.dnsName,
        zoneId: lb.zoneId,
        listenerArn: lb.listenerArn,
        targetGroupArn: lb.targetGroupArn,
        targetGroupArnSuffix: lb.targetGroupArnSuffix,
        securityGroupId: lb.securityGroupId,
        certificateArn: lb.certificateArn ?? null,
        originProtocol: lb.originProtocol,
      };
    },
    { stack: "prod" },
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("LoadBalancer", () => {
  it("admits only CloudFront's origin-facing prefix list, on 443, and adds no egress of its own", async () => {
    const run = await runLoadBalancer();
    const sg = findResource(run.resources, "aws:ec2/securityGroup:SecurityGroup");
    expect(sg.inputs.vpcId).toBe(BASE.vpcId);
    expect(sg.inputs.ingress).toBeUndefined();
    expect(sg.inputs.egress).toBeUndefined();
    const ingress = findResources(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress).toHaveLength(1);
    expect(ingress[0]!.inputs).toMatchObject({ securityGroupId: sg.id, prefixListId: "pl-4fa04526", ipProtocol: "tcp", fromPort: 443, toPort: 443 });
    expect(ingress[0]!.inputs.cidrIpv4).toBeUndefined();
    expect(run.resources.some((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toBe(false);
    expect(run.outputs.securityGroupId).toBe(sg.id);
  });

  it("is an internet-facing ALB with strict header handling, access logs and deletion protection", async () => {
    const run = await runLoadBalancer({ idleTimeoutSeconds: 120 });
    const alb = findResource(run.resources, "aws:lb/loadBalancer:LoadBalancer");
    const sg = findResource(run.resources, "aws:ec2/securityGroup:SecurityGroup");
    expect(alb.inputs).toMatchObject({
      loadBalancerType: "application",
      internal: false,
      subnets: BASE.subnetIds,
      securityGroups: [sg.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableDeletionProtection: true,
      idleTimeout: 120,
      accessLogs: { bucket: BASE.accessLogsBucket, prefix: "alb", enabled: true },
    });
    expect(alb.region).toBe("eu-west-1");
    expect(run.outputs.arnSuffix).toMatch(/^app\/shop-alb-[a-z0-9]+\/[0-9a-f]{16}$/);
    expect(run.outputs.dnsName).toMatch(/\.eu-west-1\.elb\.amazonaws\.com$/);
    expect(run.outputs.zoneId).toBe("Z32O12XQLNTSW2");
  });

  it("dev can turn deletion protection off", async () => {
    const run = await runLoadBalancer({ deletionProtection: false });
    expect(findResource(run.resources, "aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection).toBe(false);
  });

  it("terminates TLS 1.2+ with a DNS-validated regional certificate; the default action is 403", async () => {
    const run = await runLoadBalancer();
    const certificate = findResource(run.resources, "aws:acm/certificate:Certificate");
    expect(certificate.inputs).toMatchObject({ domainName: "origin.shop.example.com", validationMethod: "DNS" });
    expect(certificate.region).toBe("eu-west-1");
    const record = findResource(run.resources, "aws:route53/record:Record");
    const [option] = certificate.outputs.domainValidationOptions as { resourceRecordName: string; resourceRecordValue: string }[];
    expect(record.inputs).toMatchObject({
      zoneId: BASE.hostedZoneId,
      name: option!.resourceRecordName,
      type: "CNAME",
      records: [option!.resourceRecordValue],
      allowOverwrite: true,
    });
    const validation = findResource(run.resources, "aws:acm/certificateValidation:CertificateValidation");
    expect(validation.inputs).toMatchObject({ certificateArn: certificate.id, validationRecordFqdns: [record.outputs.fqdn] });

    const listener = findResource(run.resources, "aws:lb/listener:Listener");
    expect(listener.inputs).toMatchObject({
      loadBalancerArn: run.outputs.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: certificate.id,
      defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" } }],
    });
    expect(run.outputs).toMatchObject({ certificateArn: certificate.id, originProtocol: "https", listenerArn: listener.id });
  });

  it("forwards to the target group only when the secret origin header matches, and keeps the value secret", async () => {
    const run = await runLoadBalancer();
    const rule = findResource(run.resources, "aws:lb/listenerRule:ListenerRule");
    expect(rule.inputs).toMatchObject({
      listenerArn: run.outputs.listenerArn,
      conditions: [{ httpHeader: { httpHeaderName: "X-Origin-Verify", values: [HEADER_VALUE] } }],
      actions: [{ type: "forward", targetGroupArn: run.outputs.targetGroupArn }],
    });
    expect(rule.secretProperties).toContain("conditions");
    // The value appears nowhere else in the plan.
    const elsewhere = run.resources.filter((r) => r !== rule && JSON.stringify(r.inputs).includes(HEADER_VALUE));
    expect(elsewhere.map((r) => r.type)).toEqual([]);
  });

  it("checks targets on /readyz every 15 s, 2 healthy / 3 unhealthy, and drains in 30 s", async () => {
    const run = await runLoadBalancer({ appPort: 9090 });
    const group = findResource(run.resources, "aws:lb/targetGroup:TargetGroup");
    expect(group.inputs).toMatchObject({
      vpcId: BASE.vpcId,
      port: 9090,
      protocol: "HTTP",
      targetType: "instance",
      deregistrationDelay: 30,
      healthCheck: { path: "/readyz", matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3, port: "traffic-port" },
    });
    expect(run.outputs.targetGroupArnSuffix).toMatch(/^targetgroup\/shop-web-[a-z0-9]+\/[0-9a-f]{16}$/);
  });

  it.each([
    [undefined, "HTTP"],
    ["HTTP", "HTTP"],
    ["HTTPS", "HTTPS"],
  ] as const)("targetProtocol %s: the target group and its health check speak %s, on the app port", async (targetProtocol, expected) => {
    const run = await runLoadBalancer(targetProtocol === undefined ? {} : { targetProtocol });
    const group = findResource(run.resources, "aws:lb/targetGroup:TargetGroup");
    expect(group.inputs).toMatchObject({ port: 8080, protocol: expected, protocolVersion: "HTTP1", healthCheck: { protocol: expected, port: "traffic-port", path: "/readyz" } });
  });

  it("refuses a target protocol other than HTTP or HTTPS", async () => {
    await expect(runLoadBalancer({ targetProtocol: "TCP" as "HTTP" })).rejects.toThrow(/targetProtocol is "HTTP" or "HTTPS"/);
  });

  it("dev without a domain: HTTP on 80 from CloudFront only, with a loud warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const run = await runLoadBalancer({ domainName: undefined, hostedZoneId: undefined, allowHttpOrigin: true, deletionProtection: false });
    const listener = findResource(run.resources, "aws:lb/listener:Listener");
    expect(listener.inputs).toMatchObject({ port: 80, protocol: "HTTP" });
    expect(listener.inputs.certificateArn).toBeUndefined();
    expect(run.resources.some((r) => r.type === "aws:acm/certificate:Certificate")).toBe(false);
    const ingress = findResource(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.inputs).toMatchObject({ prefixListId: "pl-4fa04526", fromPort: 80, toPort: 80 });
    expect(findResource(run.resources, "aws:lb/listenerRule:ListenerRule").inputs.conditions).toEqual([
      { httpHeader: { httpHeaderName: "X-Origin-Verify", values: [HEADER_VALUE] } },
    ]);
    expect(run.outputs).toMatchObject({ originProtocol: "http", certificateArn: null });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/PLAIN HTTP/));
  });

  it("uses the region's CloudFront prefix list in the DR region", async () => {
    const run = await runLoadBalancer({}, "eu-central-1");
    expect(findResource(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs.prefixListId).toBe("pl-a3a144ca");
  });

  it("plans in a preview, where the certificate's validation record is unknown", async () => {
    const run = await runUnderMocks(
      async () => {
        const { LoadBalancer } = await import("./load-balancer.js");
        new LoadBalancer("shop", BASE);
      },
      { stack: "prod", preview: true },
    );
    expect(findResource(run.resources, "aws:lb/listener:Listener").inputs).toMatchObject({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    expect(findResource(run.resources, "aws:route53/record:Record").unknownProperties).toContain("name");
  });

  it("an object transform merges into the child's args", async () => {
    const run = await runLoadBalancer({
      transforms: {
        loadBalancer: { enableHttp2: false },
        targetGroup: { slowStart: 60, healthCheck: { interval: 30 } },
        listener: { sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" },
        forwardRule: { priority: 5 },
        certificate: { keyAlgorithm: "EC_prime256v1" },
        securityGroup: { description: "custom" },
        certificateValidationRecord: { ttl: 300 },
      },
    });
    expect(findResource(run.resources, "aws:lb/loadBalancer:LoadBalancer").inputs.enableHttp2).toBe(false);
    const targetGroup = findResource(run.resources, "aws:lb/targetGroup:TargetGroup").inputs;
    expect(targetGroup.slowStart).toBe(60);
    // Plain objects merge key by key: the rest of the health check stays.
    expect(targetGroup.healthCheck).toMatchObject({ interval: 30, path: "/readyz", matcher: "200" });
    expect(findResource(run.resources, "aws:lb/listener:Listener").inputs.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
    expect(findResource(run.resources, "aws:lb/listenerRule:ListenerRule").inputs.priority).toBe(5);
    expect(findResource(run.resources, "aws:acm/certificate:Certificate").inputs.keyAlgorithm).toBe("EC_prime256v1");
    expect(findResource(run.resources, "aws:ec2/securityGroup:SecurityGroup").inputs.description).toBe("custom");
    expect(findResource(run.resources, "aws:route53/record:Record").inputs.ttl).toBe(300);
  });

  it("a function transform can rename a child and set its options", async () => {
    let protect: boolean | undefined;
    const run = await runLoadBalancer({
      transforms: {
        targetGroup: (args, opts, name) => {
          args.slowStart = 30;
          opts.protect = true;
          opts.ignoreChanges = ["tags"];
          protect = opts.protect;
          return `${name}-blue`;
        },
      },
    });
    const targetGroup = findResource(run.resources, "aws:lb/targetGroup:TargetGroup", "shop-web-blue");
    expect(targetGroup.inputs.slowStart).toBe(30);
    expect(targetGroup.ignoreChanges).toEqual(["tags"]);
    expect(protect).toBe(true);
    expect(run.resources.some((resource) => resource.name === "shop-web")).toBe(false);
    // The renamed group is the one the rule forwards to and the output names.
    expect(run.outputs.targetGroupArn).toBe(targetGroup.outputs.arn);
  });

  it("every child has its own transform key", async () => {
    const seen: string[] = [];
    const record = (_args: object, _opts: pulumi.CustomResourceOptions, name: string): void => {
      seen.push(name);
    };
    const keys = [
      "securityGroup", "cloudFrontIngressRule", "loadBalancer", "targetGroup", "certificate", "certificateValidationRecord",
      "certificateValidation", "listener", "forwardRule",
    ] as const;
    const run = await runLoadBalancer({ transforms: Object.fromEntries(keys.map((key) => [key, record])) });
    const children = run.resources.filter((resource) => resource.parent?.endsWith("shop:web:LoadBalancer::shop")).map((resource) => resource.name);
    expect(seen.sort()).toEqual(children.sort());
    expect(seen).toHaveLength(keys.length);
  });

  it.each<[Partial<LoadBalancerArgs>, RegExp]>([
    [{ domainName: undefined, hostedZoneId: undefined }, /no domainName, so the origin would be plain HTTP.*allowHttpOrigin: true/],
    [{ hostedZoneId: undefined }, /domainName and hostedZoneId go together/],
    [{ domainName: undefined }, /domainName and hostedZoneId go together/],
    [{ sslPolicy: "ELBSecurityPolicy-2016-08" }, /sslPolicy "ELBSecurityPolicy-2016-08" allows TLS older than 1\.2/],
    [{ sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06" }, /allows TLS older than 1\.2/],
    [{ idleTimeoutSeconds: 0 }, /idleTimeoutSeconds is 0; expected an integer from 1 to 4000\./],
    [{ appPort: 70000 }, /appPort is 70000; expected an integer from 1 to 65535\./],
    [{ deregistrationDelaySeconds: -1 }, /deregistrationDelaySeconds is -1; expected an integer from 0 to 3600/],
    [{ accessLogsPrefix: "logs/AWSLogs" }, /accessLogsPrefix "logs\/AWSLogs" .*must not contain AWSLogs/],
    [{ accessLogsPrefix: "/alb" }, /no leading or trailing slash/],
    [{ healthCheckPath: "readyz" }, /healthCheckPath is "readyz"; expected a path that starts with "\/"/],
  ])("refuses %j with a clear error and declares nothing", async (bad, message) => {
    let caught: unknown;
    const run = await runUnderMocks(
      async () => {
        const { LoadBalancer } = await import("./load-balancer.js");
        try {
          new LoadBalancer("shop", { ...BASE, ...bad });
        } catch (error) {
          caught = error;
        }
      },
      { stack: "prod" },
    );
    expect((caught as Error).name).toBe("InvalidArgsError");
    expect((caught as Error).message).toMatch(/^LoadBalancer "shop": /);
    expect((caught as Error).message).toMatch(message);
    expect(run.resources.filter((resource) => resource.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
