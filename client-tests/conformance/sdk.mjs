// The Node side of the differential conformance suite (cargo xtask conformance).
//
// For every input file in the folder given as the first argument, makes the
// same call through Auth0's official Node SDK (`auth0`, pinned by
// package-lock.json) twice: once answered with the canned 2xx response and
// once with the canned 4xx. The SDK's `fetch` option captures each request
// and returns the canned response, so nothing leaves the process. Writes one
// JSON array of results to the file given as the second argument.

import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ManagementClient } from "auth0";

const [inputsDir, outFile] = process.argv.slice(2);
if (!inputsDir || !outFile) {
    console.error("usage: node sdk.mjs INPUTS_DIR OUT_FILE");
    process.exit(2);
}

async function captureBody(body) {
    if (body === undefined || body === null) return { kind: "none" };
    if (typeof body === "string") return { kind: "text", text: body };
    if (body instanceof URLSearchParams) return { kind: "text", text: body.toString() };
    if (body instanceof FormData) {
        const parts = [];
        for (const [name, value] of body.entries()) {
            if (typeof value === "string") {
                parts.push({ name, filename: null, content_type: null, data: value });
            } else {
                const data = Buffer.from(await value.arrayBuffer()).toString("utf8");
                parts.push({ name, filename: value.name ?? null, content_type: value.type || null, data });
            }
        }
        return { kind: "multipart", parts };
    }
    if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
        return { kind: "text", text: Buffer.from(body).toString("utf8") };
    }
    if (typeof Blob !== "undefined" && body instanceof Blob) {
        return { kind: "text", text: Buffer.from(await body.arrayBuffer()).toString("utf8") };
    }
    if (typeof body[Symbol.asyncIterator] === "function") {
        const chunks = [];
        for await (const c of body) chunks.push(Buffer.from(c));
        return { kind: "text", text: Buffer.concat(chunks).toString("utf8") };
    }
    return { kind: "unknown", text: String(body) };
}

function headersObject(h) {
    const out = {};
    if (!h) return out;
    const entries = h instanceof Headers ? h.entries() : Object.entries(h);
    for (const [k, v] of entries) {
        if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
    }
    return out;
}

function client(canned, captured) {
    return new ManagementClient({
        domain: "tenant.example.com",
        token: "t",
        baseUrl: "http://127.0.0.1:9/api/v2",
        maxRetries: 0,
        fetch: async (url, init = {}) => {
            const req = typeof url === "object" && "url" in url ? url : null;
            const headers = headersObject(init.headers ?? req?.headers);
            // fetch sets the content type of a FormData body itself.
            if (init.body instanceof FormData && !("content-type" in headers)) {
                headers["content-type"] = "multipart/form-data";
            }
            captured.push({
                method: (init.method ?? req?.method ?? "GET").toUpperCase(),
                url: String(req ? req.url : url),
                headers,
                body: await captureBody(init.body),
            });
            const body = canned.body === null || canned.body === undefined ? null : JSON.stringify(canned.body);
            const resHeaders = body === null ? {} : { "content-type": "application/json" };
            const noBody = [204, 205, 304].includes(canned.status) || init.method === "HEAD";
            return new Response(noBody ? null : body, { status: canned.status, headers: resHeaders });
        },
    });
}

function target(sdk, input) {
    let obj = sdk;
    for (const g of input.sdk.path) {
        obj = obj?.[g];
    }
    return obj;
}

function args(input) {
    const out = input.path.map(([, v]) => (typeof v === "string" ? v : v));
    const query = { ...input.query, ...input.headers };
    if (input.body !== null && input.body !== undefined) {
        let body = input.body;
        if (input.body_kind === "multipart") {
            body = { ...body };
            for (const [name, f] of Object.entries(input.files)) {
                body[name] = { data: Buffer.from(String(body[name]), "utf8"), filename: f.filename, contentType: f.content_type };
            }
        }
        if (input.body_kind === "binary" || input.body_kind === "text") {
            body = Buffer.from(String(body), "utf8");
        }
        out.push(body);
    } else if (Object.keys(query).length > 0) {
        out.push(query);
    }
    return out;
}

async function call(input, canned) {
    const captured = [];
    const sdk = client(canned, captured);
    const group = target(sdk, { sdk: { path: input.sdk.path } });
    const fn = group?.[input.sdk.method];
    if (typeof fn !== "function") return { missing: true };
    try {
        let res = await fn.apply(group, args(input));
        // Paged lists return a Page: its `response` is the body as read.
        if (res && typeof res === "object" && "response" in res && typeof res.getNextPage === "function") {
            res = res.response;
        }
        return { request: captured[0] ?? null, data: res === undefined ? null : res };
    } catch (e) {
        if (typeof e?.statusCode === "number") {
            const body = e.body ?? {};
            return {
                request: captured[0] ?? null,
                error: { status: e.statusCode, message: body.message ?? null, errorCode: body.errorCode ?? null },
            };
        }
        return { request: captured[0] ?? null, thrown: String(e?.message ?? e) };
    }
}

// Every method of the SDK's resource tree (`users.authenticationMethods.create`),
// so the report can name the operations only the SDK has.
function methods(obj, path, out, depth) {
    if (obj === null || typeof obj !== "object" || depth > 5) return;
    const seen = new Set();
    // Up the prototype chain: the exported client wraps the generated one.
    for (let proto = Object.getPrototypeOf(obj); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        for (const name of Object.getOwnPropertyNames(proto)) {
            if (name === "constructor" || name.startsWith("_") || seen.has(name)) continue;
            seen.add(name);
            const desc = Object.getOwnPropertyDescriptor(proto, name);
            if (desc.get) {
                methods(obj[name], [...path, name], out, depth + 1);
            } else if (typeof desc.value === "function") {
                out.push([...path, name].join("."));
            }
        }
    }
    return out;
}

const files = readdirSync(inputsDir).filter((f) => f.endsWith(".json")).sort();
const results = [];
for (const f of files) {
    const input = JSON.parse(readFileSync(join(inputsDir, f), "utf8"));
    const ok = await call(input, input.ok);
    const err = ok.missing ? { missing: true } : await call(input, input.err);
    results.push({ id: input.id, ok, err });
}
const all = methods(client({ status: 200, body: null }, []), [], [], 0).sort();
writeFileSync(outFile, JSON.stringify({ results, methods: all }, null, 1));
