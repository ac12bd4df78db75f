// What postmortem verbs and jobs need from the configuration, built from lib/env.ts's Config: links back
// to Vigil, the time zone the document is written in, the alert label naming services, and the tracker
// "create ticket" sends to (null when none is configured).
import type { VerbArgs } from "../context";
import type { Config } from "../env";
import type { GitHubSettings } from "../integrations/github/create-issue";
import type { JiraSettings } from "../integrations/jira/create-issue";
import { getRuntime } from "../runtime";

export type TrackerSettings = { kind: "jira"; jira: JiraSettings } | { kind: "github"; github: GitHubSettings };

export interface PostmortemSettings {
  appUrl: string;
  timeZone: string;
  serviceLabel: string;
  tracker: TrackerSettings | null;
}

export function postmortemSettingsFrom(config: Config): PostmortemSettings {
  const { jira, github } = config;
  const tracker: TrackerSettings | null =
    config.postmortems.tracker === "jira" && jira.url && jira.email && jira.apiToken && jira.project
      ? { kind: "jira", jira: { url: jira.url, email: jira.email, apiToken: jira.apiToken, project: jira.project } }
      : config.postmortems.tracker === "github" && github.token && github.repo
        ? { kind: "github", github: { apiUrl: github.apiUrl, token: github.token, repo: github.repo } }
        : null;
  return {
    appUrl: config.appUrl,
    timeZone: config.postmortems.timeZone,
    serviceLabel: config.alerts.serviceLabel,
    tracker,
  };
}

/** For the doors and the worker: the settings of this process's configuration. */
export const postmortemSettings = (): PostmortemSettings => postmortemSettingsFrom(getRuntime().config);

export const postmortemUrl = (settings: Pick<PostmortemSettings, "appUrl">, id: string) =>
  `${settings.appUrl}/postmortems/${id}`;

/** Postmortem verbs take the settings alongside the usual context and input. */
export interface PostmortemVerbArgs<I> extends VerbArgs<I> {
  settings: PostmortemSettings;
}
