import type { GlobalOptions } from "../../global-options.js";

// What the policy actions receive. The definition, the actions and the targets all import this
// module, so none of them imports the definition (which loads the actions lazily): no cycle.

export const REPORT_FORMATS = ["text", "json", "sarif", "junit"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface PolicyCheckOptions extends GlobalOptions {
  allStacks: boolean;
  fromExport?: string;
  fromPreview?: string;
  config?: string;
  format?: ReportFormat;
  output?: string;
  /** True when `stack` came from $SHOPCTL_STACK rather than the command line. */
  stackFromEnv?: boolean;
}

export interface PolicyConfigOptions extends GlobalOptions {
  output?: string;
}
