// What the remediation verbs and jobs need from the configuration (REMEDIATION_* settings).
import type { Config } from "../env";
import type { PolicySettings } from "./policy";

export interface RemediationSettings extends PolicySettings {
  /** Every run is a dry run (REMEDIATION_DRY_RUN=1). */
  dryRun: boolean;
  /** A second responder may approve (REMEDIATION_TWO_PERSON=1); nobody approves their own request. */
  twoPerson: boolean;
  /** How long one executor call may take. */
  timeoutMs: number;
}

export const remediationSettingsFrom = (config: Config): RemediationSettings => ({ ...config.remediation });

/** How long a claimed run is its worker's: the call's timeout and a margin for the bookkeeping around it. */
export const leaseMsFor = (settings: Pick<RemediationSettings, "timeoutMs">) => settings.timeoutMs * 2 + 10_000;
