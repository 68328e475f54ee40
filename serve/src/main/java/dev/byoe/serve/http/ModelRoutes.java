package dev.byoe.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.serve.models.CatalogEntry;
import dev.byoe.serve.models.CatalogProblem;
import dev.byoe.serve.models.ModelCatalog;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The model-management API of a multi-model endpoint, as SageMaker calls it: {@code POST /models}
 * ({@code {"model_name", "url"}}), {@code GET /models} (pages of {@code limit}, continued with
 * {@code next_page_token}), {@code GET /models/{name}}, {@code DELETE /models/{name}}; and the
 * lease an invocation of {@code POST /models/{name}/invoke} takes on its model.
 */
final class ModelRoutes {
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    /** A load request's body is a small JSON object; more is not a load request. */
    static final int MAX_LOAD_BODY = 64 * 1024;

    private final ModelCatalog catalog;

    ModelRoutes(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    ModelLease lease(Context ctx) {
        CatalogEntry entry = catalog.get(name(ctx));
        if (!entry.acquire()) {
            throw new CatalogProblem(
                    CatalogProblem.Kind.UNKNOWN,
                    "model \"" + entry.name() + "\" is being unloaded");
        }
        return ModelLease.of(entry);
    }

    void load(Context ctx) throws IOException, InterruptedException {
        byte[] body =
                InvocationHandler.readBody(
                        ctx,
                        MAX_LOAD_BODY,
                        System.nanoTime() + InferenceServer.STALLED_UPLOAD.toNanos());
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HttpProblem.badRequest(
                    "the body is not JSON: "
                            + e.getOriginalMessage()
                            + "; send {\"model_name\": ..., \"url\": ...}");
        }
        if (request == null || !request.isObject()) {
            throw HttpProblem.badRequest(
                    "the body must be a JSON object {\"model_name\": ..., \"url\": ...}");
        }
        CatalogEntry entry = catalog.load(text(request, "model_name"), text(request, "url"));
        ObjectNode answer = describe(entry);
        answer.put("status", "Model \"" + entry.name() + "\" loaded");
        json(ctx, 200, answer);
    }

    void list(Context ctx) {
        int limit = limit(ctx.queryParam("limit"));
        String token = ctx.queryParam("next_page_token");
        String after = token == null || token.isEmpty() ? null : decodeToken(token);
        List<CatalogEntry> page = catalog.page(after, limit + 1);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode models = answer.putArray("models");
        for (CatalogEntry e : page.subList(0, Math.min(limit, page.size()))) {
            models.addObject().put("modelName", e.name()).put("modelUrl", e.url());
        }
        if (page.size() > limit) {
            answer.put("nextPageToken", encodeToken(page.get(limit - 1).name()));
        }
        json(ctx, 200, answer);
    }

    void describe(Context ctx) {
        json(ctx, 200, describe(catalog.get(name(ctx))));
    }

    void unload(Context ctx) throws InterruptedException {
        CatalogEntry entry = catalog.unload(name(ctx));
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("status", "Model \"" + entry.name() + "\" unloaded");
        json(ctx, 200, answer);
    }

    /** The contract's {@code modelName} and {@code modelUrl}, and what byoe measured. */
    private static ObjectNode describe(CatalogEntry e) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("modelName", e.name());
        node.put("modelUrl", e.url());
        node.put("kind", e.served().kind());
        node.put("description", e.description());
        node.put("loadMillis", Math.round(e.loadMillis() * 100) / 100.0);
        node.put("residentBytes", e.footprint().bytes());
        node.put("heapBytes", e.footprint().heapBytes());
        node.put("nativeBytes", e.footprint().nativeBytes());
        node.put("invocations", e.invocations());
        node.put("inFlight", e.inFlight());
        node.put("idleMillis", e.idleMillis());
        return node;
    }

    private static String name(Context ctx) {
        return ctx.pathParam("name");
    }

    private static String text(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw HttpProblem.badRequest(
                    "\""
                            + field
                            + "\" must be a non-empty string in {\"model_name\": ..., \"url\": ...}");
        }
        return v.asText();
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_PAGE;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw HttpProblem.badRequest(
                "limit=" + text + " must be an integer in [1, " + MAX_PAGE + "]");
    }

    /** The page token is the last name of the page before, opaque to the caller. */
    private static String encodeToken(String name) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest(
                    "next_page_token=" + token + " is not a token this endpoint gave out");
        }
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
