// An incident is addressed by its UUID or by its human reference INC-<n>.
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const numberPattern = /^(?:INC-)?(\d{1,9})$/i;

export type IncidentRef = { id: string } | { number: number };

/** Incident numbers are PostgreSQL integers. */
export const MAX_INCIDENT_NUMBER = 2_147_483_647;

export function parseIncidentRef(ref: string): IncidentRef | null {
  const trimmed = ref.trim();
  if (uuidPattern.test(trimmed)) return { id: trimmed.toLowerCase() };
  const match = numberPattern.exec(trimmed);
  if (match?.[1]) {
    const n = Number(match[1]);
    if (n > 0 && n <= MAX_INCIDENT_NUMBER) return { number: n };
  }
  return null;
}

export const formatIncidentRef = (number: number) => `INC-${number}`;
