// Kept free of imports: the stack config and the CLI read it without loading the AWS provider.

/**
 * The edge region: CloudFront's certificates, CLOUDFRONT-scope WAF web ACLs, their log deliveries
 * and their metrics exist only here.
 */
export const EDGE_REGION = "us-east-1";
