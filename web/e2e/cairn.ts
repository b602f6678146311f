// Starts the real `cairn` binary, seeded with the demo data, serving the built app (web/dist), on a
// free port with its own data directory. The end-to-end tests drive it through Debian's Chromium.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const binary = process.env.CAIRN_BINARY ? resolve(repo, process.env.CAIRN_BINARY) : join(repo, "build/cairn");
export const PASSWORD = "cairn-demo";
export const PEOPLE = {
  educator: "priya.natarajan@riverbend.example.org",
  issuerAdmin: "maria.alvarez@tpc.example.org",
  districtAdmin: "james.whitfield@riverbend.example.org",
  reviewer: "helen.okafor@lakeview.example.org",
};

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

export interface RunningCairn {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startCairn(extraEnv: Record<string, string> = {}): Promise<RunningCairn> {
  const dataDir = mkdtempSync(join(tmpdir(), "cairn-web-e2e-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CAIRN_")));
  Object.assign(env, {
    CAIRN_DATA_DIR: dataDir,
    CAIRN_LISTEN: `127.0.0.1:${port}`,
    CAIRN_WEB_DIR: join(repo, "web/dist"),
    CAIRN_LOG_LEVEL: "warn",
    CAIRN_JOB_POLL_MS: "100",
    ...extraEnv,
  });
  const seeded = spawnSync(binary, ["seed-demo"], { env, encoding: "utf8" });
  if (seeded.status !== 0) throw new Error(`cairn seed-demo failed: ${seeded.stderr}`);
  const child: ChildProcess = spawn(binary, ["serve"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cairn serve exited early: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("cairn serve did not answer /healthz");
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
