// A user's Cloudflare Worker written against `vehicle-doc-ocr/worker` (npm/shim.d.ts), strictly.
import { recognize, shimFor, type ShimAnswer, type ShimRequest } from "vehicle-doc-ocr/worker";

interface Env {
  APIHZ_ID?: string;
  RATE_LIMITER?: { limit(o: { key: string }): Promise<{ success: boolean }> };
}

const answer = (a: ShimAnswer) =>
  new Response(a.body === null ? null : JSON.stringify(a.body), { status: a.status, headers: a.headers });

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const h = request.headers;
    const req: ShimRequest = {
      method: request.method,
      url: request.url,
      origin: h.get("origin"),
      authorization: h.get("authorization"),
      contentType: h.get("content-type"),
      contentLength: h.get("content-length"),
      clientIp: h.get("cf-connecting-ip"),
    };
    const shim = shimFor(env);
    const problems: string | null = shim.configProblems();
    if (problems) console.error(problems);
    const d = shim.decide(req);
    if (d.action === "respond") return answer(d);
    if (env.RATE_LIMITER && !(await env.RATE_LIMITER.limit({ key: d.rateLimitKey })).success) {
      return answer(shim.reject(req, "rateLimited"));
    }
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > d.capBytes) return answer(shim.reject(req, "tooLarge"));
    const refused = shim.checkBody(req, bytes.byteLength, bytes.subarray(0, 16));
    if (refused) return answer(refused);
    try {
      const result = await recognize(bytes, d.options);
      return new Response(JSON.stringify(result), { headers: d.headers });
    } catch (e) {
      return answer(shim.errorResponse(req, e));
    }
  },
};

// @ts-expect-error: the reasons are a closed list
shimFor({}).reject({} as ShimRequest, "other");
