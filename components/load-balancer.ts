import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "./conventions.js";
import { type Settings, settingsOf } from "./load-balancer/settings.js";
import { transform, type Transform } from "./common/transform.js";

export { DEFAULT_SSL_POLICY } from "./load-balancer/settings.js";

/** The AWS-managed prefix list of CloudFront's addresses that reach origins. */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

export interface LoadBalancerArgs {
  /** The VPC of the ALB and its target group. */
  vpcId: pulumi.Input<string>;
  /** The public subnets, one per AZ (an ALB needs two AZs at least). */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The port the app listens on: the target group sends there. @default 8080 */
  appPort?: number;
  /**
   * The origin's DNS name that CloudFront connects to (`origin.shop.example.com`). An ACM
   * certificate for it is requested in the ALB's region and validated through `hostedZoneId`.
   * Omit it only in a dev stack without a domain, together with `allowHttpOrigin`.
   * @default none: an HTTP origin, allowed only with `allowHttpOrigin`
   */
  domainName?: pulumi.Input<string>;
  /** The Route 53 hosted zone that holds `domainName`; required with it. @default none */
  hostedZoneId?: pulumi.Input<string>;
  /**
   * With no `domainName`, serve the origin over plain HTTP on port 80. For a dev stack without a
   * domain only: it logs a loud warning, and the policy pack flags the HTTP listener.
   * @default false
   */
  allowHttpOrigin?: boolean;
  /** The secret origin header's name (from the Cdn component). */
  originHeaderName: pulumi.Input<string>;
  /** The secret origin header's value (from the Cdn component, a Pulumi secret). Requests without it get 403. */
  originHeaderValue: pulumi.Input<string>;
  /** The bucket for access logs (the LogBucket component's; SSE-S3, with the ELB log delivery policy). */
  accessLogsBucket: pulumi.Input<string>;
  /**
   * Key prefix of the access logs, without leading or trailing slash: the LogBucket's
   * `albLogPrefix`, which its bucket policy lets ELB write below.
   * @default "alb"
   */
  accessLogsPrefix?: string;
  /** Seconds a connection may stay idle, 1 to 4000. @default 60 */
  idleTimeoutSeconds?: number;
  /** Deletion protection; turn it off in dev only. @default true */
  deletionProtection?: boolean;
  /** The HTTPS listener's security policy; TLS 1.2 or newer only. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  sslPolicy?: string;
  /**
   * What the ALB speaks to the targets on `appPort`, and the health checks with it. HTTPS needs the
   * app serving TLS there (the WebTier's `tlsToTargets`); the ALB does not validate the target's
   * certificate, so the instance's self-signed one is enough.
   * @default "HTTP"
   */
  targetProtocol?: "HTTP" | "HTTPS";
  /** The target group's health check path (200 expected). @default "/readyz" */
  healthCheckPath?: string;
  /** Seconds a deregistering target keeps its in-flight requests, 0 to 3600. @default 30 */
  deregistrationDelaySeconds?: number;
  /** Changes to the children's args, options or names: an object merged over the args, or a function (see `Transform`). @default no changes */
  transforms?: {
    /** The ALB's security group. */
    securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** The group's ingress from CloudFront's origin-facing prefix list. */
    cloudFrontIngressRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
    /** The ALB. */
    loadBalancer?: Transform<aws.lb.LoadBalancerArgs>;
    /** The web target group. */
    targetGroup?: Transform<aws.lb.TargetGroupArgs>;
    /** The origin certificate (HTTPS only). */
    certificate?: Transform<aws.acm.CertificateArgs>;
    /** The certificate's DNS validation record (HTTPS only). */
    certificateValidationRecord?: Transform<aws.route53.RecordArgs>;
    /** The wait for the certificate's issue (HTTPS only). */
    certificateValidation?: Transform<aws.acm.CertificateValidationArgs>;
    /** The listener (HTTPS, or HTTP in a dev stack without a domain). */
    listener?: Transform<aws.lb.ListenerArgs>;
    /** The listener rule that forwards requests with the origin header. */
    forwardRule?: Transform<aws.lb.ListenerRuleArgs>;
  };
}

/**
 * The origin ALB behind CloudFront./**
 * The origin ALB behind CloudFront. Only CloudFront's origin-facing addresses reach it, and only
 * requests that carry the Cdn's secret origin header are forwarded; everything else gets 403.
 * TLS 1.2+ with a DNS-validated regional certificate, strict header handling, access logs.
 *
 * Its security group gets no egress here: the WebTier adds the one egress rule (to the web
 * security group, on the app port) together with the web group's ingress from this group, so
 * neither component depends on the other's group at creation and there is no cycle.
 *
 * @example
 * ```ts
 * const lb = new LoadBalancer("prod-lb", {
 *   vpcId: network.vpcId,
 *   subnetIds: network.publicSubnetIds,
 *   domainName: "origin.shop.example.com",
 *   hostedZoneId: "Z0123456789ABCDEFGHIJ",
 *   originHeaderName: cdn.originHeaderName,
 *   originHeaderValue: cdn.originHeaderValue,
 *   accessLogsBucket: logs.bucketName,
 *   accessLogsPrefix: logs.albLogPrefix,
 * });
 * ```
 */
export class LoadBalancer extends pulumi.ComponentResource {
  public readonly loadBalancerArn: pulumi.Output<string>;
  /** `app/<name>/<id>`: the CloudWatch `LoadBalancer` dimension. */
  public readonly arnSuffix: pulumi.Output<string>;
  public readonly dnsName: pulumi.Output<string>;
  /** The ALB's canonical hosted zone, for Route 53 alias records. */
  public readonly zoneId: pulumi.Output<string>;
  public readonly listenerArn: pulumi.Output<string>;
  public readonly targetGroupArn: pulumi.Output<string>;
  /** `targetgroup/<name>/<id>`: the CloudWatch `TargetGroup` dimension. */
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** The validated certificate; `undefined` for an HTTP origin. */
  public readonly certificateArn: pulumi.Output<string> | undefined;
  /** What CloudFront must speak to this origin. */
  public readonly originProtocol: "https" | "http";
  public readonly listenerPort: number;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad args fail before anything is registered.
    const settings = settingsOf(name, args);
    super("shop:web:LoadBalancer", name, {}, opts);
    if (!settings.https) this.warnOfPlainHttp(name);

    const securityGroup = this.createSecurityGroup(name, args, settings);
    this.admitCloudFront(name, args, settings, securityGroup);
    const alb = this.createLoadBalancer(name, args, settings, securityGroup);
    const targetGroup = this.createTargetGroup(name, args, settings);
    const certificateArn = settings.https && args.domainName !== undefined && args.hostedZoneId !== undefined
      ? this.validatedCertificate(name, args, args.domainName, args.hostedZoneId)
      : undefined;
    const listener = this.createListener(name, args, settings, alb, certificateArn);
    this.forwardFromCloudFront(name, args, listener, targetGroup);

    this.originProtocol = settings.https ? "https" : "http";
    this.listenerPort = settings.listenerPort;
    this.securityGroupId = securityGroup.id;
    this.certificateArn = certificateArn;
    this.loadBalancerArn = alb.arn;
    this.arnSuffix = alb.arnSuffix;
    this.dnsName = alb.dnsName;
    this.zoneId = alb.zoneId;
    this.listenerArn = listener.arn;
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      arnSuffix: this.arnSuffix,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      listenerArn: this.listenerArn,
      targetGroupArn: this.targetGroupArn,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      securityGroupId: this.securityGroupId,
      certificateArn: this.certificateArn,
      originProtocol: this.originProtocol,
      listenerPort: this.listenerPort,
    });
  }

  private warnOfPlainHttp(name: string): void {
    void pulumi.log.warn(
      `LoadBalancer "${name}": NO DOMAIN, so CloudFront reaches this origin over PLAIN HTTP (port 80) and the origin header ` +
        `travels unencrypted. Acceptable for a throwaway dev stack only; set domain and hostedZoneId to get HTTPS.`,
      this,
    );
  }

  private createSecurityGroup(name: string, args: LoadBalancerArgs, settings: Settings): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
      ...transform(
        args.transforms?.securityGroup,
        childName(name, "alb-sg"),
        { vpcId: args.vpcId, description: `ALB ${name}: ${settings.listenerPort} from CloudFront only; egress to the web tier only` },
        { parent: this },
      ),
    );
  }

  /** The listener port from CloudFront's origin-facing prefix list, nothing else. */
  private admitCloudFront(name: string, args: LoadBalancerArgs, settings: Settings, securityGroup: aws.ec2.SecurityGroup): aws.vpc.SecurityGroupIngressRule {
    const cloudFront = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, { parent: this });
    return new aws.vpc.SecurityGroupIngressRule(
      ...transform(
        args.transforms?.cloudFrontIngressRule,
        childName(name, "alb-from-cloudfront"),
        {
          securityGroupId: securityGroup.id,
          prefixListId: cloudFront.id,
          ipProtocol: "tcp",
          fromPort: settings.listenerPort,
          toPort: settings.listenerPort,
          description: "CloudFront origin-facing addresses",
        },
        { parent: this },
      ),
    );
  }

  private createLoadBalancer(name: string, args: LoadBalancerArgs, settings: Settings, securityGroup: aws.ec2.SecurityGroup): aws.lb.LoadBalancer {
    return new aws.lb.LoadBalancer(
      ...transform(
        args.transforms?.loadBalancer,
        childName(name, "alb"),
        {
          loadBalancerType: "application",
          internal: false,
          ipAddressType: "ipv4",
          securityGroups: [securityGroup.id],
          subnets: args.subnetIds,
          dropInvalidHeaderFields: true,
          desyncMitigationMode: "strictest",
          enableDeletionProtection: args.deletionProtection ?? true,
          idleTimeout: settings.idleTimeout,
          enableHttp2: true,
          accessLogs: { bucket: args.accessLogsBucket, prefix: settings.accessLogsPrefix, enabled: true },
        },
        { parent: this },
      ),
    );
  }

  private createTargetGroup(name: string, args: LoadBalancerArgs, settings: Settings): aws.lb.TargetGroup {
    return new aws.lb.TargetGroup(
      ...transform(
        args.transforms?.targetGroup,
        childName(name, "web"),
        {
          vpcId: args.vpcId,
          targetType: "instance",
          port: settings.appPort,
          protocol: settings.targetProtocol,
          protocolVersion: "HTTP1",
          deregistrationDelay: settings.deregistrationDelay,
          healthCheck: {
            enabled: true,
            protocol: settings.targetProtocol,
            port: "traffic-port",
            path: settings.healthCheckPath,
            matcher: "200",
            interval: 15,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
          },
        },
        { parent: this },
      ),
    );
  }

  /** HTTPS with the certificate (or plain HTTP in dev); whoever lacks the origin header gets 403. */
  private createListener(
    name: string,
    args: LoadBalancerArgs,
    settings: Settings,
    alb: aws.lb.LoadBalancer,
    certificateArn: pulumi.Output<string> | undefined,
  ): aws.lb.Listener {
    return new aws.lb.Listener(
      ...transform(
        args.transforms?.listener,
        childName(name, settings.https ? "https" : "http"),
        {
          loadBalancerArn: alb.arn,
          port: settings.listenerPort,
          protocol: settings.https ? "HTTPS" : "HTTP",
          ...(certificateArn === undefined ? {} : { certificateArn, sslPolicy: settings.sslPolicy }),
          routingHttpResponseServerEnabled: false,
          // Whoever lacks the origin header (anyone but CloudFront) gets this.
          defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" } }],
        },
        { parent: this },
      ),
    );
  }

  /** Requests that carry the secret origin header go to the target group. */
  private forwardFromCloudFront(name: string, args: LoadBalancerArgs, listener: aws.lb.Listener, targetGroup: aws.lb.TargetGroup): aws.lb.ListenerRule {
    return new aws.lb.ListenerRule(
      ...transform(
        args.transforms?.forwardRule,
        childName(name, "from-cloudfront"),
        {
          listenerArn: listener.arn,
          priority: 10,
          conditions: [{ httpHeader: { httpHeaderName: args.originHeaderName, values: [pulumi.secret(args.originHeaderValue)] } }],
          actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        },
        { parent: this },
      ),
    );
  }

  /** A regional ACM certificate for the origin name, DNS-validated; resolves once it is issued. */
  private validatedCertificate(
    name: string,
    args: LoadBalancerArgs,
    domainName: pulumi.Input<string>,
    hostedZoneId: pulumi.Input<string>,
  ): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(
      ...transform(
        args.transforms?.certificate,
        childName(name, "origin-cert"),
        { domainName, validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
        { parent: this },
      ),
    );
    const validation = certificate.domainValidationOptions.apply((options) => {
      const [first] = options;
      if (first === undefined) throw new Error(`LoadBalancer "${name}": ACM returned no DNS validation record for the origin certificate.`);
      return first;
    });
    const record = new aws.route53.Record(
      ...transform(
        args.transforms?.certificateValidationRecord,
        childName(name, "origin-cert-validation"),
        {
          zoneId: hostedZoneId,
          name: validation.resourceRecordName,
          type: validation.resourceRecordType,
          records: [validation.resourceRecordValue],
          ttl: 60,
          // The primary and DR ALBs certify the same name: ACM asks both for the same record.
          allowOverwrite: true,
        },
        { parent: this },
      ),
    );
    return new aws.acm.CertificateValidation(
      ...transform(
        args.transforms?.certificateValidation,
        childName(name, "origin-cert-issued"),
        { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        { parent: this },
      ),
    ).certificateArn;
  }
}
