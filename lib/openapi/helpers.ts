// What lib/openapi/document.ts hands each module that describes its own endpoints: the registry's `add`
// and the few builders every path description needs.
import type { ResponseConfig, RouteConfig } from "@asteasolutions/zod-to-openapi";
import type { z } from "zod";

export interface OpenApiHelpers {
  add: (route: RouteConfig) => void;
  named: <S extends z.ZodObject>(name: string, schema: S) => z.ZodType;
  jsonBody: (schema: z.ZodType) => { content: { "application/json": { schema: z.ZodType } } };
  problem: (description: string) => ResponseConfig;
  errors: Record<number, ResponseConfig>;
}
