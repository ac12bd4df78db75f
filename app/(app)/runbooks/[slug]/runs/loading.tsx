import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <Skeleton rows={6} label="Loading the runbook's runs" />;
}
