// How a vendor call failed, in the terms retrying needs: can it ever succeed, and when to try again.
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** From a 429's Retry-After: the vendor said when to come back. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** 5xx, 408 and 429 are worth retrying; any other 4xx is not. */
export function deliveryErrorForStatus(
  vendor: string,
  status: number,
  detail: string,
  retryAfter?: string | null,
): DeliveryError {
  const retryAfterMs = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return new DeliveryError(`${vendor} answered HTTP ${status}${detail ? `: ${detail}` : ""}`, permanent, retryAfterMs);
}

/** A network failure or timeout: the vendor may be back later. */
export function deliveryErrorForNetwork(vendor: string, error: unknown): DeliveryError {
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
  return new DeliveryError(`${vendor} unreachable (${cause})`, false);
}

export const VENDOR_TIMEOUT_MS = 10_000;
