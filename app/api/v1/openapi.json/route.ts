// GET /api/v1/openapi.json – the OpenAPI 3.1 description of this API (public, like any API reference)
import { withApiSecurityHeaders } from "@/lib/http/security-headers";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { getRuntime } from "@/lib/runtime";

export function GET(): Response {
  const { config } = getRuntime();
  return withApiSecurityHeaders(Response.json(buildOpenApiDocument(config.appUrl)), config);
}
