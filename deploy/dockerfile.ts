// Reads the repository's Dockerfile and .dockerignore the way `docker build` does, for the tests that
// check and perform the image build without a Docker engine (deploy/dockerfile.test.ts,
// e2e/support/image-build.ts). Covers what our Dockerfile uses: stages, ENV, WORKDIR, COPY, RUN, USER,
// HEALTHCHECK and CMD in exec form, `\` continuations.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuations joined. */
  args: string;
  line: number;
}

export interface CopyInstruction {
  /** The stage copied from; undefined: the build context. */
  from: string | undefined;
  sources: string[];
  destination: string;
  line: number;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const args = new Map<string, string>();
  for (const instruction of logicalLines(text)) {
    if (instruction.keyword === "FROM") {
      const [image = "", as, name] = instruction.args.split(/\s+/);
      if (as?.toUpperCase() !== "AS" || !name)
        throw new Error(`Dockerfile line ${instruction.line}: every stage needs a name (FROM image AS name)`);
      stages.push({
        name,
        base: image.replace(/\$\{(\w+)\}/g, (_, arg: string) => args.get(arg) ?? ""),
        instructions: [],
      });
    } else if (instruction.keyword === "ARG" && stages.length === 0) {
      const [name = "", value = ""] = instruction.args.split("=");
      args.set(name, value);
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

function logicalLines(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | null = null;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (pending === null && (line === "" || line.startsWith("#"))) return;
    if (pending !== null && line.startsWith("#")) return;
    const continued = line.endsWith("\\");
    const body = continued ? line.slice(0, -1).trim() : line;
    pending = pending ? { text: `${pending.text} ${body}`, line: pending.line } : { text: body, line: index + 1 };
    if (continued) return;
    const [keyword = "", ...rest] = pending.text.split(/\s+/);
    out.push({ keyword: keyword.toUpperCase(), args: rest.join(" "), line: pending.line });
    pending = null;
  });
  return out;
}

export const stageNamed = (stages: Stage[], name: string): Stage => {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`the Dockerfile has no stage named ${name}`);
  return stage;
};

export function copiesOf(stage: Stage): CopyInstruction[] {
  return stage.instructions
    .filter((i) => i.keyword === "COPY")
    .map((i) => {
      const words = i.args.split(/\s+/);
      const flags = words.filter((w) => w.startsWith("--"));
      const paths = words.filter((w) => !w.startsWith("--"));
      const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
      return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "", line: i.line };
    });
}

/** ENV lines of a stage, `ENV A=1 B=2` form. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.keyword === "ENV")) {
    for (const pair of i.args.split(/\s+/)) {
      const [name = "", ...value] = pair.split("=");
      env[name] = value.join("=");
    }
  }
  return env;
}

/** The last value of an instruction that takes one argument (WORKDIR, USER), or undefined. */
export const lastArg = (stage: Stage, keyword: string): string | undefined =>
  stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;

/** CMD / HEALTHCHECK ... CMD in exec form: the JSON array. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf("["));
  return JSON.parse(json) as string[];
}

/**
 * `.dockerignore` as docker applies it: patterns relative to the context root, `*` within a path
 * segment, `**` across segments, a match on a folder excludes everything in it, `!` re-includes, and the
 * last matching pattern wins.
 */
export function dockerignore(text: string): (relativePath: string) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const pattern = path.posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, ""));
      return { negate, regex: globToRegex(pattern) };
    });
  return (relativePath) => {
    const parts = relativePath.split("/");
    let excluded = false;
    for (const rule of rules) {
      // A pattern excludes a path when it matches the path itself or one of the folders it lies in.
      const matches = parts.some((_, i) => rule.regex.test(parts.slice(0, i + 1).join("/")));
      if (matches) excluded = !rule.negate;
    }
    return excluded;
  };
}

function globToRegex(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      // `**/` matches zero or more folders.
      out += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

export const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const readDockerfile = () => parseDockerfile(readFileSync(path.join(repoRoot, "Dockerfile"), "utf8"));
export const readDockerignore = () => dockerignore(readFileSync(path.join(repoRoot, ".dockerignore"), "utf8"));
