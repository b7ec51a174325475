/** An HTTP header name: one or more token characters, as CloudFront and WAF accept them. */
export const HTTP_HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
