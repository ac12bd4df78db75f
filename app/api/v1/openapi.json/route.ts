// GET /api/v1/openapi.json – the OpenAPI 3.1 description of this API (public, like any API reference)
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { getRuntime } from "@/lib/runtime";

export function GET(): Response {
  return Response.json(buildOpenApiDocument(getRuntime().config.appUrl));
}
