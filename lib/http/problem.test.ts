import { describe, expect, it } from "vitest";
import { AppError, internalErrorResponse, problemResponse } from "./problem";

describe("problem documents", () => {
  it("give an unexpected failure the same fields as any other problem, request_id included once", async () => {
    const extra = { instance: "/api/v1/incidents", requestId: "req-1" };
    const internal = (await internalErrorResponse(extra).json()) as Record<string, unknown>;
    const refused = (await problemResponse(new AppError("invalid", "x"), extra).json()) as Record<string, unknown>;
    expect(Object.keys(internal).sort()).toEqual(Object.keys(refused).sort());
    expect(internal).toMatchObject({ type: "urn:vigil:problem:internal", status: 500, request_id: "req-1" });
    expect(internal).not.toHaveProperty("requestId");
  });
});
