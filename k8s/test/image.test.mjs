// The Dockerfile, without Docker: perform the layer extraction it performs, lay the layers out as its COPY lines do,
// and start its ENTRYPOINT from that layout the way the Deployment runs the image (its working directory, user,
// environment and mounted configuration), then probe it. Needs the packaged jar: run after `./mvnw package`.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes, createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { K8S, REPO, parseYaml, render } from "./manifests.mjs";

/** The Dockerfile's stages: name, WORKDIR, COPY/RUN instructions, USER and ENTRYPOINT (continuation lines joined). */
function dockerfileStages() {
  const text = readFileSync(join(REPO, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const stages = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (instruction === "FROM") {
      stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1], workdir: "/", steps: [] });
    } else if (stages.length > 0) {
      const stage = stages.at(-1);
      if (instruction === "WORKDIR") stage.workdir = args;
      else if (instruction === "USER") stage.user = args;
      else if (instruction === "ENTRYPOINT") stage.entrypoint = JSON.parse(args);
      else if (instruction === "COPY" || instruction === "RUN") stage.steps.push({ instruction, args });
    }
  }
  return stages;
}

/**
 * A JDK on this machine of the Java version the image runs (the Dockerfile's JAVA_VERSION): JAVA_HOME or one under
 * /usr/lib/jvm. The Dockerfile's RUN steps and ENTRYPOINT run with its `java`, as they would in the image.
 */
function imageJdk() {
  const version = /^ARG\s+JAVA_VERSION=(\d+)/m.exec(readFileSync(join(REPO, "Dockerfile"), "utf8"))?.[1];
  assert.ok(version, "the Dockerfile declares ARG JAVA_VERSION");
  const jvms = existsSync("/usr/lib/jvm") ? readdirSync("/usr/lib/jvm").map((d) => join("/usr/lib/jvm", d)) : [];
  for (const home of [process.env.JAVA_HOME, ...jvms].filter(Boolean)) {
    const java = join(home, "bin", "java");
    if (!existsSync(java)) continue;
    const printed = spawnSync(java, ["-version"], { encoding: "utf8" }).stderr ?? "";
    if (new RegExp(`version "${version}[."]`).test(printed)) return join(home, "bin");
  }
  assert.fail(`no local JDK ${version} (the image's JAVA_VERSION) in JAVA_HOME or /usr/lib/jvm`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on("error", reject);
  });
}

async function get(url, headers = {}) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: await response.text() };
}

async function until(what, probe, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not reached within ${deadlineMs} ms (last: ${last})`);
}

const work = mkdtempSync(join(tmpdir(), "roomgate-image-"));
const stages = dockerfileStages();
const runtime = stages.at(-1);
const extract = stages.find((s) => s.name === "extract");
const objects = render("single");
const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "roomgate");
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const appDir = join(work, "app");
let app;
let output = "";
const ports = {};
const clientKey = `image-check-${randomBytes(8).toString("hex")}`;
const jdkBin = imageJdk();
const withImageJava = { ...process.env, PATH: `${jdkBin}:${process.env.PATH}` };
// Where the JVM's AOT log goes: written as the image's USER, so not under the root-owned layout.
const aotLog = join(work, "logs", "aot.log");

before(async () => {
  const jars = readdirSync(join(REPO, "gateway", "target")).filter((f) => /^roomgate-gateway-.*\.jar$/.test(f));
  assert.equal(jars.length, 1, "one packaged jar in gateway/target (run ./mvnw -pl gateway package first)");

  // Stage `extract`: its COPY of the built jar, then its RUN, in a directory standing for its WORKDIR.
  const extractDir = join(work, "extract");
  mkdirSync(extractDir, { recursive: true });
  for (const step of extract.steps) {
    if (step.instruction === "COPY") {
      const [, , destination] = step.args.split(/\s+/);
      cpSync(join(REPO, "gateway", "target", jars[0]), join(extractDir, destination));
    } else {
      execFileSync("sh", ["-c", step.args], { cwd: extractDir, env: withImageJava, stdio: "inherit" });
    }
  }

  // Final stage, in order: each COPY --from=extract from the extract stage's WORKDIR into this stage's WORKDIR, and
  // each RUN (the AOT cache's training run) in that WORKDIR, its paths under WORKDIR mapped to the layout here.
  const inApp = (text) => text.replaceAll(`${runtime.workdir}/`, `${appDir}/`);
  const copies = runtime.steps.filter((s) => s.instruction === "COPY");
  assert.ok(copies.length >= 2, "the runtime stage copies the layers one by one");
  for (const step of runtime.steps) {
    if (step.instruction === "RUN") {
      execFileSync("sh", ["-c", inApp(step.args)], { cwd: appDir, env: withImageJava, stdio: "inherit" });
      continue;
    }
    const [from, source, destination] = step.args.split(/\s+/);
    assert.equal(from, "--from=extract", step.args);
    assert.ok(source.startsWith(`${extract.workdir}/`), source);
    assert.equal(destination, "./");
    const layer = join(extractDir, source.slice(extract.workdir.length + 1));
    assert.ok(existsSync(layer), `layer ${source} was extracted`);
    cpSync(layer, appDir, { recursive: true });
  }

  // The Deployment's container: working directory = WORKDIR, the ConfigMap mounted where it says.
  assert.equal(container.workingDir, runtime.workdir, "the Deployment runs in the image's WORKDIR");
  for (const mount of container.volumeMounts) {
    const volume = pod.volumes.find((v) => v.name === mount.name);
    if (volume.configMap) {
      assert.ok(mount.mountPath.startsWith(`${runtime.workdir}/`), mount.mountPath);
      const configMap = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === volume.configMap.name);
      mkdirSync(inApp(mount.mountPath), { recursive: true });
      for (const [file, content] of Object.entries(configMap.data)) writeFileSync(join(inApp(mount.mountPath), file), content);
    }
  }

  // Environment: the container's env, the Secret template's keys with made-up values. Two additions, because this
  // host is shared and offline: free ports instead of 8080/8081, and provider URLs on a closed local port.
  const env = { PATH: withImageJava.PATH };
  if (process.env.JAVA_HOME) env.JAVA_HOME = process.env.JAVA_HOME;
  for (const variable of container.env) {
    assert.ok("value" in variable, `${variable.name}: only literal values in the single overlay`);
    env[variable.name] = variable.value;
  }
  const template = parseYaml(readFileSync(join(K8S, "secrets", "roomgate-credentials.yaml"), "utf8"))[0];
  for (const key of Object.keys(template.stringData)) env[key] = `image-check-${randomBytes(12).toString("hex")}`;
  env.ROOMGATE_DASHBOARD_KEY_SHA256 = createHash("sha256").update(clientKey).digest("hex");
  env.ROOMGATE_JWT_JWK_SET_URI = "";
  env.ROOMGATE_JWT_ISSUER = "";
  env.TENCENT_SG_SDK_APP_ID = "1400000001";
  const closed = await freePort();
  for (const url of ["PLUGNMEET_MAIN_URL", "TENCENT_SG_URL", "VIDEOSDK_MAIN_URL"]) env[url] = `http://127.0.0.1:${closed}`;
  ports.http = await freePort();
  ports.management = await freePort();
  // A third: the JVM logs whether it used the AOT cache, to a file the last test reads.
  mkdirSync(join(work, "logs"), { recursive: true });
  chmodSync(join(work, "logs"), 0o777);
  env.JAVA_TOOL_OPTIONS = `${env.JAVA_TOOL_OPTIONS} -Xlog:aot=info:file=${aotLog}`;
  env.SERVER_PORT = String(ports.http);
  env.MANAGEMENT_SERVER_PORT = String(ports.management);

  // As the image's USER when this runs as root (CI does): the layout must be readable, and need not be writable.
  const entrypoint = runtime.entrypoint.map(inApp);
  let command = entrypoint;
  if (process.getuid?.() === 0 && runtime.user) {
    const [uid, gid] = runtime.user.split(":");
    assert.equal(Number(uid), pod.securityContext.runAsUser, "the Deployment runs as the image's USER");
    chmodSync(work, 0o755);
    command = ["setpriv", `--reuid=${uid}`, `--regid=${gid ?? uid}`, "--clear-groups", ...entrypoint];
  }
  app = spawn(command[0], command.slice(1), { cwd: appDir, env, stdio: ["ignore", "pipe", "pipe"] });
  app.stdout.on("data", (d) => (output += d));
  app.stderr.on("data", (d) => (output += d));
});

after(async () => {
  if (app && app.exitCode === null) {
    app.kill("SIGKILL");
    await new Promise((r) => app.once("exit", r));
  }
  rmSync(work, { recursive: true, force: true });
});

const management = (path) => `http://127.0.0.1:${ports.management}${path}`;

test("the extracted layout starts from the ENTRYPOINT and passes the Deployment's probes", async () => {
  const probe = (p) => until(p.httpGet.path, async () => (await get(management(p.httpGet.path))).status === 200,
    p.periodSeconds * p.failureThreshold * 1000);
  try {
    await probe(container.startupProbe);
  } catch (e) {
    assert.fail(`${e.message}\n${output.slice(-3000)}`);
  }
  assert.equal((await get(management(container.livenessProbe.httpGet.path))).status, 200);
  assert.equal((await get(management(container.readinessProbe.httpGet.path))).status, 200);
});

test("the JVM runs with the Deployment's JAVA_TOOL_OPTIONS", async () => {
  const scrape = await get(management("/actuator/prometheus"));
  assert.equal(scrape.status, 200);
  assert.match(scrape.body, /^jvm_memory_max_bytes\{.*area="heap"/m);
  assert.match(output, /Picked up JAVA_TOOL_OPTIONS: .*-XX:MaxRAMPercentage=40/);
});

test("the JVM starts from the AOT cache the image trained", () => {
  const log = readFileSync(aotLog, "utf8");
  assert.match(log, /Opened AOT cache .*roomgate\.aot/);
  assert.doesNotMatch(log, /Unable to use|disabled|mismatch/i, log.slice(0, 3000));
});

test("the API answers on the main port: no key is refused, a configured key gets a room answer", async () => {
  const anonymous = await get(`http://127.0.0.1:${ports.http}/v1/rooms/image-check`);
  assert.equal(anonymous.status, 401);
  const answer = await get(`http://127.0.0.1:${ports.http}/v1/rooms/image-check`, { "X-API-Key": clientKey });
  assert.match(answer.type, /json/);
  assert.equal(JSON.parse(answer.body).roomId, "image-check", answer.body);
});

test("SIGTERM stops it within the grace period less the preStop wait", async () => {
  const budget = (pod.terminationGracePeriodSeconds - Number(container.lifecycle.preStop.exec.command[1])) * 1000;
  const started = Date.now();
  const exited = new Promise((r) => app.once("exit", r));
  app.kill("SIGTERM");
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("still running")), budget)));
  try {
    await Promise.race([exited, late]);
  } finally {
    clearTimeout(timer);
  }
  assert.ok(Date.now() - started < budget);
});
