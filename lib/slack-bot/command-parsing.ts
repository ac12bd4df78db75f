// What someone typed after /incident or /runbook, as a command Vigil understands or the reason it does
// not. Pure: the handlers decide who may do it and call the verbs.
import { slackTextToPlain } from "./slack-text";

/** Who `/incident assign` names: a Slack mention, an email address, or the caller. */
export type Assignee = { slackUserId: string } | { email: string } | { self: true };

/** `ref` is absent when the command left it out: inside an incident's own channel that incident is meant. */
export type IncidentCommand =
  | { name: "list" }
  | { name: "show"; ref?: string }
  | { name: "ack"; ref?: string }
  | { name: "escalate"; ref?: string }
  | { name: "assign"; ref?: string; assignee: Assignee }
  | { name: "resolve"; ref?: string; note?: string }
  | { name: "note"; ref?: string; text: string }
  | { name: "create"; title?: string }
  | { name: "snooze"; ref?: string; duration?: string }
  | { name: "maintenance"; action: MaintenanceAction }
  | { name: "help" }
  | { name: "usage"; problem: string };

/** `/incident maintenance …`: list the windows, start one, or end one early. */
export type MaintenanceAction =
  | { name: "list" }
  | {
      name: "start";
      duration: string;
      service?: string;
      team?: string;
      labels: Record<string, string>;
      reason: string;
    }
  | { name: "end"; id: string };

export type RunbookCommand =
  | { name: "list" }
  | { name: "show"; slug: string }
  | { name: "run"; slug: string; ref: string }
  | { name: "help" }
  | { name: "usage"; problem: string };

const aliases: Record<string, string> = {
  acknowledge: "ack",
  declare: "create",
  new: "create",
  comment: "note",
  ls: "list",
  "?": "help",
  mute: "snooze",
  maint: "maintenance",
};

// INC-<n> or an incident id. A bare number is not a reference: `/incident note 5 pods restarted` is a note.
const refPattern = /^(?:INC-(\d{1,9})|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))$/i;

function readRef(token: string | undefined): string | undefined {
  const match = token ? refPattern.exec(token) : null;
  if (!match) return undefined;
  return match[1] ? `INC-${Number(match[1])}` : match[2]!.toLowerCase();
}

/** Splits off the first word; the rest keeps its own spacing (notes are free text). */
function firstWord(text: string): [string | undefined, string] {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return match ? [match[1], match[2]!.trim()] : [undefined, ""];
}

/** An optional leading reference, then the rest. */
function optionalRef(text: string): { ref?: string; rest: string } {
  const [word, rest] = firstWord(text);
  const ref = readRef(word);
  return ref ? { ref, rest } : { rest: text.trim() };
}

function readAssignee(token: string): Assignee | { problem: string } {
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token);
  if (mention) return { slackUserId: mention[1]! };
  const mailto = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(token);
  const email = mailto?.[1] ?? token;
  if (/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(email)) return { email };
  if (/^me$/i.test(token)) return { self: true };
  return {
    problem: `I can't tell who "${slackTextToPlain(token)}" is. Mention them with @ so Slack links the name, give their email address, or say \`me\`.`,
  };
}

export function parseIncidentCommand(text: string): IncidentCommand {
  const [word, rest] = firstWord(text);
  if (!word) return { name: "help" };
  const sub = aliases[word.toLowerCase()] ?? word.toLowerCase();
  switch (sub) {
    case "help":
      return { name: "help" };
    case "list":
      return rest ? { name: "usage", problem: "`/incident list` takes nothing after it." } : { name: "list" };
    case "show":
    case "ack":
    case "escalate": {
      const { ref, rest: extra } = optionalRef(rest);
      if (extra)
        return {
          name: "usage",
          problem: `\`/incident ${sub}\` takes an incident reference such as INC-123 (or nothing, in the incident's channel).`,
        };
      return ref ? { name: sub, ref } : { name: sub };
    }
    case "assign": {
      const { ref, rest: who } = optionalRef(rest);
      const [token, extra] = firstWord(who);
      if (!token || extra) return { name: "usage", problem: "Use `/incident assign INC-123 @someone` (or `me`)." };
      const assignee = readAssignee(token);
      if ("problem" in assignee) return { name: "usage", problem: assignee.problem };
      return { name: "assign", ...(ref ? { ref } : {}), assignee };
    }
    case "resolve": {
      const { ref, rest: note } = optionalRef(rest);
      const plain = slackTextToPlain(note).trim();
      return { name: "resolve", ...(ref ? { ref } : {}), ...(plain ? { note: plain } : {}) };
    }
    case "note": {
      const { ref, rest: note } = optionalRef(rest);
      const plain = slackTextToPlain(note).trim();
      if (!plain) return { name: "usage", problem: "Use `/incident note INC-123 what you saw, tried or decided`." };
      return { name: "note", ...(ref ? { ref } : {}), text: plain };
    }
    case "create": {
      const title = slackTextToPlain(rest).trim();
      return title ? { name: "create", title } : { name: "create" };
    }
    case "snooze": {
      const { ref, rest: duration } = optionalRef(rest);
      if (duration && !durationPattern.test(duration))
        return { name: "usage", problem: "Use `/incident snooze INC-123 [how long: 30m, 1h, 4h]` (1h if left out)." };
      return { name: "snooze", ...(ref ? { ref } : {}), ...(duration ? { duration } : {}) };
    }
    case "maintenance": {
      const action = parseMaintenance(rest);
      return "problem" in action ? { name: "usage", problem: action.problem } : { name: "maintenance", action };
    }
    default:
      return { name: "usage", problem: `I don't know \`${slackTextToPlain(word)}\`.` };
  }
}

const durationPattern = /^(\d+[mhd])+$/i;
const matcherPattern = /^([A-Za-z_][A-Za-z0-9_]*)=(\S+)$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maintenanceUsage =
  "Use `/incident maintenance start 2h service=checkout env=prod why`, `/incident maintenance end <id>` or `/incident maintenance list`.";

/**
 * `start <duration> key=value… reason`: `service` and `team` match the incident's service and team, any
 * other key one of its labels (by equality); the words after the matchers are the reason.
 */
function parseMaintenance(text: string): MaintenanceAction | { problem: string } {
  const [word, rest] = firstWord(slackTextToPlain(text));
  const sub = word?.toLowerCase();
  if (!sub || sub === "list" || sub === "ls") return rest ? { problem: maintenanceUsage } : { name: "list" };
  if (sub === "end")
    return uuidPattern.test(rest) ? { name: "end", id: rest.toLowerCase() } : { problem: maintenanceUsage };
  if (sub !== "start") return { problem: maintenanceUsage };
  const tokens = rest.split(/\s+/).filter(Boolean);
  const duration = tokens.shift();
  if (!duration || !durationPattern.test(duration)) return { problem: maintenanceUsage };
  const start: Extract<MaintenanceAction, { name: "start" }> = { name: "start", duration, labels: {}, reason: "" };
  let matcher: RegExpExecArray | null;
  while (tokens[0] && (matcher = matcherPattern.exec(tokens[0]))) {
    tokens.shift();
    const [, key, value] = matcher as unknown as [string, string, string];
    if (key === "service" || key === "team") start[key] = value;
    else start.labels[key] = value;
  }
  start.reason = tokens.join(" ");
  if (!start.service && !start.team && Object.keys(start.labels).length === 0)
    return { problem: `Name what the window covers, as service=…, team=… or label=value. ${maintenanceUsage}` };
  if (!start.reason) return { problem: `Say why, after the matchers. ${maintenanceUsage}` };
  return start;
}

const slugPattern = /^[a-z0-9][a-z0-9_-]{0,99}$/i;

export function parseRunbookCommand(text: string): RunbookCommand {
  const [word, rest] = firstWord(text);
  if (!word) return { name: "help" };
  const sub = aliases[word.toLowerCase()] ?? word.toLowerCase();
  const args = rest ? rest.split(/\s+/) : [];
  switch (sub) {
    case "help":
      return { name: "help" };
    case "list":
      return args.length ? { name: "usage", problem: "`/runbook list` takes nothing after it." } : { name: "list" };
    case "show":
      return args.length === 1 && slugPattern.test(args[0]!)
        ? { name: "show", slug: args[0]!.toLowerCase() }
        : { name: "usage", problem: "Use `/runbook show <runbook>`." };
    case "run": {
      const ref = readRef(args[1]);
      if (args.length !== 2 || !slugPattern.test(args[0]!) || !ref)
        return { name: "usage", problem: "Use `/runbook run <runbook> INC-123`." };
      return { name: "run", slug: args[0]!.toLowerCase(), ref };
    }
    default:
      return { name: "usage", problem: `I don't know \`${slackTextToPlain(word)}\`.` };
  }
}

/** `/oncall` for everyone, `/oncall team <name>`, `/oncall service <name>`, or `/oncall <name>` (a team, else a service). */
export type OnCallCommand =
  | { name: "who"; scope: { kind: "everyone" } | { kind: "team" | "service" | "team_or_service"; value: string } }
  | { name: "help" }
  | { name: "usage"; problem: string };

export function parseOnCallCommand(text: string): OnCallCommand {
  const [word, rest] = firstWord(slackTextToPlain(text));
  if (!word) return { name: "who", scope: { kind: "everyone" } };
  const keyword = word.toLowerCase();
  if (keyword === "help" || keyword === "?") return { name: "help" };
  if (keyword === "everyone" || keyword === "all") return { name: "who", scope: { kind: "everyone" } };
  if (keyword === "team" || keyword === "service") {
    if (!rest) return { name: "usage", problem: `Use \`/oncall ${keyword} <name>\`.` };
    return { name: "who", scope: { kind: keyword, value: rest } };
  }
  return { name: "who", scope: { kind: "team_or_service", value: rest ? `${word} ${rest}` : word } };
}
