"use client";

import { useState } from "react";
import { CreateWithSecretForm, fieldClass as field } from "./create-with-secret-form";

const kinds = ["alertmanager", "pagerduty", "grafana", "opsgenie", "webhook", "heartbeat"] as const;

/** Empty inputs are left out, so the server's defaults apply. */
const filled = (data: FormData) =>
  Object.fromEntries([...data.entries()].filter(([, v]) => typeof v === "string" && v.trim() !== ""));

export function CreateIntegrationForm() {
  const [kind, setKind] = useState<(typeof kinds)[number]>("alertmanager");
  return (
    <CreateWithSecretForm
      endpoint="/api/v1/integrations"
      submitLabel="Create integration"
      bodyOf={filled}
      created={(integration) => ({
        what: (
          <>
            Integration <strong>{integration.name}</strong> created; this is its secret.
          </>
        ),
        secret: integration.secret!,
      })}
    >
      <label className="text-sm font-medium">
        Kind
        <select
          name="kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as (typeof kinds)[number])}
          className={`mt-1 block ${field}`}
        >
          {kinds.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium">
        Name
        <input name="name" required maxLength={100} placeholder="prod Grafana" className={`mt-1 block ${field}`} />
      </label>
      <label className="text-sm font-medium">
        Default service
        <input name="default_service" maxLength={200} className={`mt-1 block ${field}`} />
      </label>
      <label className="text-sm font-medium">
        Default team
        <input name="default_team" maxLength={200} className={`mt-1 block ${field}`} />
      </label>
      <label className="text-sm font-medium">
        Default severity
        <select name="default_severity" defaultValue="" className={`mt-1 block ${field}`}>
          <option value="">from the alert</option>
          {["P0", "P1", "P2", "P3", "P4"].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium">
        Escalation policy
        <input name="escalation_policy" maxLength={200} className={`mt-1 block ${field}`} />
      </label>
      {kind === "pagerduty" && (
        <label className="text-sm font-medium">
          One incident per
          <select name="group_by" defaultValue="dedup_key" className={`mt-1 block ${field}`}>
            <option>dedup_key</option>
            <option>group</option>
            <option>component</option>
            <option>class</option>
          </select>
        </label>
      )}
      {kind === "heartbeat" && (
        <label className="text-sm font-medium">
          Ping every (minutes)
          <input name="interval_minutes" type="number" min={1} required className={`mt-1 block w-24 ${field}`} />
        </label>
      )}
      {kind === "grafana" && (
        <label className="text-sm font-medium">
          HMAC secret (optional)
          <input name="hmac_secret" type="password" minLength={8} className={`mt-1 block ${field}`} />
        </label>
      )}
    </CreateWithSecretForm>
  );
}
