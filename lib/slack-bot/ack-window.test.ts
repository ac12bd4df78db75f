import { afterEach, describe, expect, it, vi } from "vitest";
import { AckWindowClosed, openAckWindow } from "./ack-window";

afterEach(() => vi.useRealTimers());

describe("the acknowledgement window", () => {
  it("answers with the first ack: empty, text or JSON", async () => {
    const empty = openAckWindow();
    await empty.ack();
    expect(await (await empty.response).text()).toBe("");

    const reply = openAckWindow();
    await reply.ack({ response_type: "ephemeral", text: "hi" });
    const res = await reply.response;
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ response_type: "ephemeral", text: "hi" });
    await expect(reply.ack("again")).rejects.toBeInstanceOf(AckWindowClosed);
  });

  it("sends an empty 200 when nothing acknowledged in time, and refuses a late ack", async () => {
    vi.useFakeTimers();
    const window = openAckWindow(2500);
    vi.advanceTimersByTime(2500);
    const res = await window.response;
    expect(res.status).toBe(200);
    await expect(window.ack({ text: "too late" })).rejects.toBeInstanceOf(AckWindowClosed);
  });

  it("answers at once when processing ends without an ack", async () => {
    const window = openAckWindow(60_000);
    window.close();
    expect((await window.response).status).toBe(200);
  });
});
