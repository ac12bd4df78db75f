// A Runbook custom resource as a runbook document, the namespaces its actions may name, and when its
// actions may act (pure rules; the watch and the catalog are in __tests__/runbook-resources.test.ts).
import { describe, expect, it } from "vitest";
import { actionsDigest, actionsInactiveReason } from "./remediation-part";
import { parseRunbookDocument, type RunbookDocument } from "./runbook-document";
import { refusedNamespaces, runbookMarkdownOf } from "./sync-runbook-resources";

const resource = (namespace: string, extra: Record<string, unknown> = {}) => ({
  metadata: { namespace: "shop", name: "checkout-errors" },
  spec: {
    title: "Checkout errors",
    alerts: { alertnames: ["CheckoutErrors"] },
    actions: [
      { id: "restart", title: "Restart", type: "k8s.rollout_restart", params: { namespace, deployment: "checkout" } },
    ],
    body: "## Symptoms\n\nCheckout fails.\n",
    ...extra,
  },
});

function documentOf(r: ReturnType<typeof resource>): RunbookDocument {
  const parsed = parseRunbookDocument(runbookMarkdownOf(r));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.document;
}

describe("a Runbook resource as a document", () => {
  it("takes the spec as front matter, the name as the default slug, and body as the markdown", () => {
    const document = documentOf(resource("shop"));
    expect(document.frontMatter).toMatchObject({ slug: "checkout-errors", title: "Checkout errors" });
    expect(document.body).toBe("## Symptoms\n\nCheckout fails.\n");
    expect(documentOf(resource("shop", { slug: "other" })).frontMatter.slug).toBe("other");
  });

  it("refuses namespaces REMEDIATION_NAMESPACES does not allow, and any when it is empty", () => {
    expect(refusedNamespaces(documentOf(resource("shop")), ["shop"])).toBeNull();
    expect(refusedNamespaces(documentOf(resource("{{labels.namespace}}")), ["shop"])).toBeNull();
    expect(refusedNamespaces(documentOf(resource("payments")), ["shop"])).toMatch(/namespace payments/);
    expect(refusedNamespaces(documentOf(resource("shop")), [])).toMatch(/allows none/);
  });
});

describe("whether a runbook's actions may act", () => {
  const document = documentOf(resource("shop"));
  const row = {
    resourceRef: "shop/checkout-errors",
    removedAt: null,
    resourceProblem: null,
    actionsApprovedDigest: null as string | null,
    actionsApprovedVersion: null as number | null,
  };

  it("lets a file's or the app's actions act, and holds a resource's until approved", () => {
    expect(actionsInactiveReason({ ...row, resourceRef: null }, document)).toBeNull();
    expect(actionsInactiveReason(row, document)).toMatch(/wait for an admin's approval/);
    expect(actionsInactiveReason({ ...row, actionsApprovedDigest: actionsDigest(document) }, document)).toBeNull();
  });

  it("keeps an approval through new words and drops it for new actions", () => {
    const approved = { ...row, actionsApprovedDigest: actionsDigest(document), actionsApprovedVersion: 1 };
    const reworded = documentOf(resource("shop", { body: "## Symptoms\n\nOther words.\n", title: "Renamed" }));
    expect(actionsInactiveReason(approved, reworded)).toBeNull();
    const changed = resource("shop");
    (changed.spec.actions[0] as Record<string, unknown>).auto = true;
    expect(actionsInactiveReason(approved, documentOf(changed))).toMatch(/changed since an admin approved version 1/);
  });

  it("stops a deleted or refused resource's actions, approved or not", () => {
    const approved = { ...row, actionsApprovedDigest: actionsDigest(document) };
    expect(actionsInactiveReason({ ...approved, removedAt: new Date() }, document)).toMatch(/was deleted/);
    expect(actionsInactiveReason({ ...approved, resourceProblem: "namespace x" }, document)).toMatch(/is refused/);
  });
});
