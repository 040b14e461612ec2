// Every overlay renders, and every object it renders (and each Secret template) is valid for the Kubernetes API and
// the Prometheus Operator's CRDs. The last tests show that both validators do reject what the API would reject.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { K8S, OVERLAYS, excessFieldDiagnostics, parseYaml, render, validateSchema } from "./manifests.mjs";

const SHARED = ["Namespace", "ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget",
  "NetworkPolicy", "ServiceMonitor", "PrometheusRule"];
const KINDS = { single: SHARED, cluster: [...SHARED, "HorizontalPodAutoscaler"],
  "cluster-tls": [...SHARED, "HorizontalPodAutoscaler"] };

for (const overlay of OVERLAYS) {
  test(`overlay ${overlay} renders, and every object is valid against its schema`, async () => {
    const objects = render(overlay);
    assert.deepEqual([...new Set(objects.map((o) => o.kind))].sort(), [...KINDS[overlay]].sort());
    for (const object of objects) {
      await assert.doesNotReject(validateSchema(object), `${object.kind} ${object.metadata?.name}`);
    }
  });

  test(`overlay ${overlay} uses no field the API does not have`, () => {
    assert.equal(excessFieldDiagnostics(render(overlay)), "");
  });
}

test("the Secret templates are valid Secrets with no field the API does not have", async () => {
  const dir = join(K8S, "secrets");
  const objects = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseYaml(readFileSync(join(dir, f), "utf8")));
  assert.ok(objects.length >= 2);
  for (const object of objects) {
    assert.equal(object.kind, "Secret");
    await validateSchema(object);
  }
  assert.equal(excessFieldDiagnostics(objects), "");
});

// Controls: a validator that accepts everything would make the tests above pass too.
function deployment() {
  return render("single").find((o) => o.kind === "Deployment");
}

test("control: the schema check rejects a wrong type and a missing required field", async () => {
  const wrongType = deployment();
  wrongType.spec.template.spec.containers[0].ports[0].containerPort = "eight thousand";
  await assert.rejects(validateSchema(wrongType));
  const missing = deployment();
  delete missing.spec.template.spec.containers[0].name;
  await assert.rejects(validateSchema(missing));
  const monitor = render("single").find((o) => o.kind === "ServiceMonitor");
  monitor.spec.endpoints = "management";
  await assert.rejects(validateSchema(monitor));
});

test("control: the field check rejects a misspelt field, even deep in a pod template", () => {
  const typo = deployment();
  const sc = typo.spec.template.spec.containers[0].securityContext;
  sc.readOnlyRootFileSystem = sc.readOnlyRootFilesystem;
  delete sc.readOnlyRootFilesystem;
  const diagnostics = excessFieldDiagnostics([typo]);
  assert.match(diagnostics, /readOnlyRootFileSystem/);
});

test("control: an unknown kind is an error, not a pass", async () => {
  await assert.rejects(validateSchema({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }));
});
