/** How an alert is named to people: its alertname, and the instance (or pod) when there is one. */
export function describeAlertLabels(labels: Record<string, string>): string {
  const name = labels.alertname ?? "alert";
  const where = labels.instance ?? labels.pod ?? labels.deployment;
  return where ? `${name} (${where})` : name;
}

/** "HighErrorRate (web-1), HighErrorRate (web-2) and 3 more" */
export function listAlertNames(names: string[], max = 5): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}
