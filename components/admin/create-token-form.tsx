"use client";

import { CreateWithSecretForm, fieldClass as field } from "./create-with-secret-form";

export function CreateTokenForm() {
  return (
    <CreateWithSecretForm
      endpoint="/api/v1/tokens"
      submitLabel="Create token"
      bodyOf={(data) => {
        const days = Number(data.get("expires"));
        const expires_at = days > 0 ? new Date(Date.now() + days * 86_400_000).toISOString() : null;
        return { name: data.get("name"), role: data.get("role"), scope: data.get("scope"), expires_at };
      }}
      created={(token) => ({
        what: (
          <>
            Token <strong>{token.name}</strong> created.
          </>
        ),
        secret: token.token!,
      })}
    >
      <label className="text-sm font-medium">
        Name
        <input name="name" required maxLength={100} placeholder="alertmanager" className={`mt-1 block ${field}`} />
      </label>
      <label className="text-sm font-medium">
        Role
        <select name="role" defaultValue="responder" className={`mt-1 block ${field}`}>
          <option>viewer</option>
          <option>responder</option>
          <option>admin</option>
        </select>
      </label>
      <label className="text-sm font-medium">
        Scope
        <select name="scope" defaultValue="full" className={`mt-1 block ${field}`}>
          <option value="full">full: everything its role allows</option>
          <option value="alerts:write">alerts:write: only sends alerts (Alertmanager)</option>
        </select>
      </label>
      <label className="text-sm font-medium">
        Expires
        <select name="expires" defaultValue="0" className={`mt-1 block ${field}`}>
          <option value="0">never</option>
          <option value="30">in 30 days</option>
          <option value="90">in 90 days</option>
          <option value="365">in a year</option>
        </select>
      </label>
    </CreateWithSecretForm>
  );
}
