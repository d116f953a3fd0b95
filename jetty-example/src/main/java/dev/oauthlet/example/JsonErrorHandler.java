package dev.oauthlet.example;

import dev.oauthlet.servlet.OAuthResponses;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answers to requests it refuses before any servlet runs — a header block over the
 * limit (431), a malformed request line or URI (400) — as RFC 6749 §5.2 JSON instead of an HTML
 * page: {@code invalid_request} for a 4xx, {@code server_error} otherwise. Nothing of the request
 * or the exception is echoed.
 */
final class JsonErrorHandler extends ErrorHandler {

    /** Jetty writes error bodies for GET, POST and HEAD only; every refusal here is JSON. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String error = code >= 400 && code < 500 ? "invalid_request" : "server_error";
        String json = OAuthResponses.errorJson(error, description(code));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=UTF-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json;charset=UTF-8");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(OAuthResponses.errorJson(status < 500 ? "invalid_request" : "server_error", description(status))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String description(int code) {
        return switch (code) {
            case 400 -> "the request is malformed";
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed";
            case 408 -> "the request did not arrive in time";
            case 413 -> "the request is too large";
            case 414 -> "the request URI is too long";
            case 415 -> "unsupported media type";
            case 431 -> "the request headers are too large";
            default -> code >= 500 ? "the server could not answer this request" : "the request was refused";
        };
    }
}
