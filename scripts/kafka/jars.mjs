/**
 * Fetches and caches the jars of a single-node Apache Kafka broker.
 *
 * Maven resolves org.apache.kafka:kafka_2.13 and its runtime dependencies
 * (pom.xml beside this file) into <CACHE_ROOT>/<version>/libs. A marker file
 * written last makes a half-finished download count as missing, so repeat runs
 * are fast and need neither Maven nor the network.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { homedir } from "node:os";

/**
 * The pinned broker version. Why 3.9.x: kafkajs 2.2.4 (our client) speaks only
 * old protocol versions (e.g. Produce v3-v7, Fetch v4-v11, JoinGroup v0-v5);
 * Kafka 4.0 removed many of those (KIP-896), 3.9 is the last line that still
 * serves all of them. 3.9.2 is the newest 3.9 patch release on Maven Central.
 */
export const KAFKA_VERSION = "3.9.2";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, "..", "..");
/**
 * Outside the work tree on purpose: every clone (CI's fresh ones included) on the
 * same machine shares one download. KAFKA_CACHE_DIR overrides it.
 */
export const CACHE_ROOT =
  process.env.KAFKA_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "cryptostream", "kafka");

const INSTALL_HINT = "install it with: apt-get install openjdk-17-jre-headless maven";

export class MissingToolError extends Error {
  constructor(message) {
    super(message);
    this.name = "MissingToolError";
  }
}

/** Major version of `java` on PATH, or undefined when there is none. */
export function javaMajorVersion() {
  const r = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return undefined;
  // `java -version` prints to stderr: openjdk version "17.0.15" 2025-04-15 (or "1.8.0_x" for Java 8).
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 ? Number(m[2]) : first;
}

/** Throws MissingToolError (one clear line) unless Java 17 or newer is on PATH. */
export function requireJava() {
  const v = javaMajorVersion();
  if (v === undefined) throw new MissingToolError(`Java 17 is missing (no \`java\` on PATH): ${INSTALL_HINT}`);
  if (v < 17) throw new MissingToolError(`Java 17 is required but \`java\` is version ${v}: ${INSTALL_HINT}`);
}

function requireMaven() {
  const r = spawnSync("mvn", ["-v"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new MissingToolError(
      `Maven is missing (no \`mvn\` on PATH; needed once to fetch the Kafka jars): ${INSTALL_HINT}`,
    );
  }
}

export function libsDir(version = KAFKA_VERSION) {
  return join(CACHE_ROOT, version, "libs");
}

const MARKER = ".complete";

/** True when the jars of `version` are fully cached. */
export function jarsCached(version = KAFKA_VERSION) {
  return existsSync(join(libsDir(version), MARKER));
}

/**
 * Makes sure the broker jars are cached and returns their folder.
 * `log` receives progress lines (stderr in the CLI).
 */
export function ensureKafkaJars({ version = KAFKA_VERSION, log = () => {} } = {}) {
  const libs = libsDir(version);
  if (jarsCached(version)) return libs;
  requireMaven();
  const versionDir = join(CACHE_ROOT, version);
  const staging = join(versionDir, `libs.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const args = [
    "-q",
    "-B",
    "-f",
    join(here, "pom.xml"),
    `-Dkafka.version=${version}`,
    // A private Maven repository: removing CACHE_ROOT removes everything this fetched.
    `-Dmaven.repo.local=${join(CACHE_ROOT, "m2")}`,
    "dependency:copy-dependencies",
    "-DincludeScope=runtime",
    `-DoutputDirectory=${staging}`,
  ];
  log(`fetching Apache Kafka ${version} jars from Maven Central into ${libs} ...`);
  const started = Date.now();
  // One retry: Maven Central occasionally drops a download mid-way.
  let lastErr;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      execFileSync("mvn", args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      lastErr = undefined;
      break;
    } catch (err) {
      lastErr = err;
      log(`mvn attempt ${attempt} failed${attempt < 2 ? ", retrying" : ""}`);
    }
  }
  if (lastErr) {
    const out = `${lastErr.stdout ?? ""}${lastErr.stderr ?? ""}`;
    const errors = out
      .split("\n")
      .filter((l) => l.includes("ERROR"))
      .slice(0, 5)
      .join("\n");
    throw new Error(`mvn could not fetch the Kafka ${version} jars:\n${errors || out.slice(-2000)}`);
  }
  const jars = readdirSync(staging).filter((f) => f.endsWith(".jar"));
  if (!jars.some((f) => f.startsWith(`kafka_2.13-${version}`))) {
    throw new Error(`mvn finished but ${staging} holds no kafka_2.13-${version}.jar`);
  }
  writeFileSync(join(staging, MARKER), `${new Date().toISOString()} ${jars.length} jars\n`);
  rmSync(libs, { recursive: true, force: true });
  renameSync(staging, libs);
  log(`fetched ${jars.length} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return libs;
}
