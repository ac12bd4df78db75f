// Runs commands the way a container of the image would: in its working directory, with only its ENV
// and what a deployment adds, as its USER when the tests run as root (the files stay root's, so the
// process can read them and write only where the image lets it). Output goes to e2e/artifacts/image-*.log.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync } from "node:fs";
import path from "node:path";
import type { BuiltImage } from "./image-build";

const asImageUser = (image: BuiltImage) =>
  process.getuid?.() === 0 ? { uid: image.user.uid, gid: image.user.gid } : {};

function containerEnv(image: BuiltImage, env: Record<string, string>): NodeJS.ProcessEnv {
  // Only PATH comes from the host (for `node`); HOME as the image's user has none.
  const all: Record<string, string> = {
    PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: "/nonexistent",
    ...image.env,
    ...env,
  };
  return all as NodeJS.ProcessEnv;
}

/** Starts a long-running process of the image (`node server.js`, the worker) in its own process group. */
export function startInImage(
  image: BuiltImage,
  name: string,
  command: string[],
  env: Record<string, string>,
): ChildProcess {
  const [program = "node", ...args] = command;
  const child = spawn(program === "node" ? process.execPath : program, args, {
    cwd: image.appDir,
    env: containerEnv(image, env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    ...asImageUser(image),
  });
  const log = path.resolve("e2e/artifacts", `image-${name}.log`);
  child.stdout?.on("data", (chunk: Buffer) => appendFileSync(log, chunk));
  child.stderr?.on("data", (chunk: Buffer) => appendFileSync(log, chunk));
  return child;
}

/** Runs a one-off command of the image (migrate, the token CLI, the healthcheck) to its end. */
export async function runInImage(
  image: BuiltImage,
  command: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = startInImage(image, "commands", command, env);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, output };
}
