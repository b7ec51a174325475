/**
 * The controls the pack's policies serve. Every policy names one PCI DSS v4.0 requirement and one
 * GDPR article from these tables, so reports (SARIF, policies/README.md) can print the same titles and a
 * typo in a reference fails the type check instead of reaching an auditor.
 */
export const PCI_DSS_V4 = {
  "1.2.5": "All services, protocols and ports allowed are identified, approved and have a defined business need",
  "1.3.1": "Inbound traffic to the CDE is restricted to only that which is necessary",
  "1.3.2": "Outbound traffic from the CDE is restricted to only that which is necessary",
  "1.4.1": "NSCs are implemented between trusted and untrusted networks",
  "1.4.4": "System components that store cardholder data are not directly accessible from untrusted networks",
  "2.2.1": "Configuration standards are developed, implemented and maintained",
  "2.2.4": "Only necessary services, protocols, daemons and functions are enabled",
  "3.2.1": "Account data storage is kept to a minimum through retention and disposal policies",
  "3.3.1": "Sensitive authentication data is not retained after authorization",
  "3.5.1": "PAN is rendered unreadable anywhere it is stored",
  "3.6.1": "Procedures protect cryptographic keys against disclosure and misuse",
  "3.7.4": "Cryptographic keys are changed at the end of their cryptoperiod",
  "4.2.1": "Strong cryptography protects PAN during transmission over open, public networks",
  "6.4.2": "An automated technical solution detects and prevents web-based attacks on public-facing web applications",
  "7.2.1": "An access control model grants access based on need",
  "7.2.2": "Access is assigned based on job function with least privileges",
  "8.3.1": "All user access to system components is authenticated",
  "8.6.2": "Passwords for application and system accounts are not hard coded in scripts or configuration files",
  "10.2.1": "Audit logs are enabled and active for all system components",
  "10.3.3": "Audit log files are promptly backed up to media that is difficult to modify",
  "10.5.1": "Audit log history is retained for at least 12 months",
  "10.7.2": "Failures of critical security control systems are detected, alerted and addressed promptly",
  "12.5.1": "An inventory of system components in scope for PCI DSS is maintained",
  "12.10.1": "An incident response plan includes business recovery, continuity and data backup processes",
} as const;

export const GDPR_ARTICLES = {
  "Art. 5(1)(c)": "Data minimisation",
  "Art. 5(1)(e)": "Storage limitation",
  "Art. 5(1)(f)": "Integrity and confidentiality",
  "Art. 25(1)": "Data protection by design",
  "Art. 25(2)": "Data protection by default: not accessible to an indefinite number of people",
  "Art. 30": "Records of processing activities",
  "Art. 32(1)(a)": "Encryption of personal data",
  "Art. 32(1)(b)": "Ongoing confidentiality, integrity, availability and resilience of processing systems",
  "Art. 32(1)(c)": "Ability to restore availability of and access to personal data in a timely manner",
  "Art. 33(1)": "Notification of a personal data breach without undue delay",
  "Art. 44": "Transfers of personal data to third countries only under the conditions of Chapter V",
} as const;

export type PciDssRequirement = keyof typeof PCI_DSS_V4;
export type GdprArticle = keyof typeof GDPR_ARTICLES;

export interface Compliance {
  /** The PCI DSS v4.0 requirement the policy serves. */
  readonly pciDss: PciDssRequirement;
  /** The GDPR article the policy serves. */
  readonly gdpr: GdprArticle;
}
