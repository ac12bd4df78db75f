// Performs the Dockerfile's stages without a Docker engine, so the e2e tier can run the image's web
// server, worker and scripts exactly as laid out in the image. Each stage is a folder standing for that
// stage's filesystem root; COPY lines are carried out as written (the build context filtered by
// .dockerignore, `--from` other stages' folders), and RUN lines run in the stage's working directory,
// with two stand-ins: `npm ci` links the packages of the repository's node_modules that it would install
// (all of them, or the non-dev ones for `--omit=dev`), and `groupadd`/`useradd` are skipped (the processes
// run under the numeric USER when the tests run as root).
//
// The result is cached under the system temp folder, keyed by the Dockerfile, .dockerignore and every file
// of the build context: a `next build` costs about a minute here, so it only runs when something changed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { copiesOf, envOf, execForm, readDockerfile, readDockerignore, repoRoot, type Stage } from "@/deploy/dockerfile";

export interface BuiltImage {
  /** The runtime stage's working directory: where the container's processes start. */
  appDir: string;
  /** ENV of the runtime stage (with what it inherits). */
  env: Record<string, string>;
  /** USER of the runtime stage, numeric. */
  user: { uid: number; gid: number };
  cmd: string[];
  healthcheck: string[];
  /** Whether this call ran the build (false: the cached image was still current). */
  built: boolean;
}

interface StageState {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  cmd?: string[];
  healthcheck?: string[];
}

const workRoot = path.join(os.tmpdir(), `vigil-image-${createHash("sha1").update(repoRoot).digest("hex").slice(0, 8)}`);

export function buildImage(options: { targetStage?: string; log?: (line: string) => void } = {}): BuiltImage {
  const log = options.log ?? (() => {});
  const stages = readDockerfile();
  const target = options.targetStage ?? stages.at(-1)!.name;
  const context = contextFiles();
  const key = imageKey(context);
  const stampFile = path.join(workRoot, "image-key");
  const built = !(existsSync(stampFile) && readFileSync(stampFile, "utf8") === key);
  const states = new Map<string, StageState>();
  if (built) {
    log(`building the image's stages in ${workRoot} (the Dockerfile or its build context changed)`);
    rmSync(workRoot, { recursive: true, force: true });
  }
  for (const stage of stages) {
    const state = runStage(stage, states, context, built, log);
    states.set(stage.name, state);
    if (stage.name === target) break;
  }
  if (built) writeFileSync(stampFile, key);
  const final = states.get(target)!;
  const [uid = "0", gid = uid] = (final.user ?? "0").split(":");
  if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) throw new Error(`USER must be numeric (uid:gid), not ${final.user}`);
  return {
    appDir: path.join(final.root, final.workdir),
    env: final.env,
    user: { uid: Number(uid), gid: Number(gid) },
    cmd: final.cmd ?? [],
    healthcheck: final.healthcheck ?? [],
    built,
  };
}

function runStage(
  stage: Stage,
  states: Map<string, StageState>,
  context: string[],
  build: boolean,
  log: (line: string) => void,
): StageState {
  const parent = states.get(stage.base);
  const state: StageState = {
    root: path.join(workRoot, "stages", stage.name),
    workdir: parent?.workdir ?? "/",
    env: { ...parent?.env },
    user: parent?.user,
    cmd: parent?.cmd,
    healthcheck: parent?.healthcheck,
  };
  if (build) {
    mkdirSync(state.root, { recursive: true, mode: 0o755 });
    if (parent) linkTree(parent.root, state.root);
  }
  const copies = copiesOf(stage);
  for (const instruction of stage.instructions) {
    const where = `Dockerfile line ${instruction.line} (${stage.name})`;
    switch (instruction.keyword) {
      case "WORKDIR":
        state.workdir = path.posix.resolve(state.workdir, instruction.args);
        if (build) mkdirSync(path.join(state.root, state.workdir), { recursive: true });
        break;
      case "ENV":
        Object.assign(state.env, envOf({ ...stage, instructions: [instruction] }));
        break;
      case "USER":
        state.user = instruction.args;
        break;
      case "CMD":
        state.cmd = execForm(instruction.args);
        break;
      case "HEALTHCHECK":
        state.healthcheck = execForm(instruction.args);
        break;
      case "COPY":
        if (build)
          copy(
            copies.find((c) => c.line === instruction.line)!,
            state,
            states,
            context,
            where,
          );
        break;
      case "RUN":
        if (build) run(instruction.args, state, log, where);
        break;
      case "EXPOSE":
      case "ARG":
        break;
      default:
        throw new Error(`${where}: ${instruction.keyword} is not something this stand-in for docker build knows`);
    }
  }
  return state;
}

function copy(
  c: ReturnType<typeof copiesOf>[number],
  state: StageState,
  states: Map<string, StageState>,
  context: string[],
  where: string,
) {
  const destination = path.join(state.root, path.posix.resolve(state.workdir, c.destination));
  for (const source of c.sources) {
    if (c.from === undefined) {
      const prefix = source === "." ? "" : `${path.posix.normalize(source)}`;
      const files = context.filter((f) => prefix === "" || f === prefix || f.startsWith(`${prefix}/`));
      if (files.length === 0)
        throw new Error(
          `${where}: COPY ${source} matches nothing in the build context (missing, or excluded by .dockerignore)`,
        );
      for (const file of files) {
        // A folder's contents land in the destination, as docker does; a single file lands inside it.
        const relative = file === prefix ? path.basename(file) : path.relative(prefix, file);
        mkdirSync(path.dirname(path.join(destination, relative)), { recursive: true });
        cpSync(path.join(repoRoot, file), path.join(destination, relative));
      }
    } else {
      const from = states.get(c.from);
      if (!from) throw new Error(`${where}: COPY --from=${c.from} names no earlier stage`);
      const sourcePath = path.join(from.root, path.posix.resolve(from.workdir, source));
      if (!existsSync(sourcePath))
        throw new Error(
          `${where}: COPY --from=${c.from} ${source}: the stage has no ${path.posix.resolve(from.workdir, source)}`,
        );
      if (statSync(sourcePath).isDirectory()) linkTree(sourcePath, destination);
      else {
        mkdirSync(destination, { recursive: true });
        linkOrCopy(sourcePath, path.join(destination, path.basename(sourcePath)));
      }
    }
  }
}

function run(command: string, state: StageState, log: (line: string) => void, where: string) {
  const cwd = path.join(state.root, state.workdir);
  if (/\b(groupadd|useradd)\b/.test(command)) return;
  if (/\bnpm ci\b/.test(command)) {
    linkInstalledPackages(path.join(cwd, "node_modules"), /--omit=dev\b/.test(command));
    return;
  }
  log(`${where}: RUN ${command}`);
  // Not root: chown would fail, and the processes run as this user anyway.
  const shell = process.getuid?.() === 0 ? command : `chown() { :; }; ${command}`;
  try {
    execFileSync("sh", ["-c", shell], {
      cwd,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), ...state.env } as Record<
        string,
        string
      > as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
    });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(
      `${where}: RUN ${command} failed:\n${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? e.message}`,
    );
  }
}

/** What `npm ci` would install from package-lock.json, hard-linked from the repository's node_modules. */
function linkInstalledPackages(target: string, omitDev: boolean) {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean }>;
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith("node_modules/") || (omitDev && entry.dev)) continue;
    const source = path.join(repoRoot, key);
    // Optional packages for other platforms are in the lock file but not on disk.
    if (!existsSync(source)) continue;
    linkTree(source, path.join(target, key.slice("node_modules/".length)), { skip: "node_modules" });
  }
}

/** Hard-links a folder's files into another (merging, later files win), like a layer over a layer. */
function linkTree(from: string, to: string, options: { skip?: string } = {}) {
  mkdirSync(to, { recursive: true, mode: 0o755 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === options.skip) continue;
    const source = path.join(from, entry.name);
    const destination = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, destination);
    else {
      rmSync(destination, { force: true });
      if (entry.isSymbolicLink()) cpSync(source, destination, { verbatimSymlinks: true });
      else linkOrCopy(source, destination);
    }
  }
}

/** A hard link, or a copy where the temp folder is on another filesystem than the repository. */
function linkOrCopy(source: string, destination: string) {
  try {
    linkSync(source, destination);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    copyFileSync(source, destination);
  }
}

/** The build context: every file of the repository that .dockerignore lets through (relative, sorted). */
function contextFiles(): string[] {
  const ignored = readDockerignore();
  const out: string[] = [];
  const visit = (relative: string) => {
    for (const entry of readdirSync(path.join(repoRoot, relative), { withFileTypes: true })) {
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (ignored(file)) continue;
      if (entry.isDirectory()) visit(file);
      else if (entry.isFile()) out.push(file);
    }
  };
  visit("");
  return out.sort();
}

function imageKey(context: string[]): string {
  const hash = createHash("sha256").update(process.version);
  for (const file of ["Dockerfile", ".dockerignore", ...context])
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(repoRoot, file)))
      .update("\0");
  return hash.digest("hex");
}
