package dev.oauthlet.example;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;

/**
 * Lets a stop drain: counts the requests in flight, and once {@link #shutdown()} is called (Jetty
 * calls it when {@code Server.stop()} begins with a stop timeout), completes its future when the
 * last one is answered. Requests that still arrive on open connections meanwhile are served too,
 * with {@code Connection: close}, so each connection carries at most one more request and the
 * count reaches zero; Jetty's own GracefulHandler would answer them 503.
 */
final class DrainHandler extends Handler.Wrapper implements Graceful {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    DrainHandler(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        inFlight.incrementAndGet();
        AtomicBoolean done = new AtomicBoolean();
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) {
                finished();
            }
        };
        if (draining.get()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        try {
            boolean handled = super.handle(request, response, Callback.from(callback, finish));
            if (!handled) {
                finish.run();
            }
            return handled;
        } catch (Exception | Error e) {
            finish.run();
            throw e;
        }
    }

    private void finished() {
        if (inFlight.decrementAndGet() == 0 && draining.get()) {
            drained.complete(null);
        }
    }

    /** Requests being served now. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        draining.set(true);
        if (inFlight.get() == 0) {
            drained.complete(null);
        }
        return drained;
    }

    @Override
    public boolean isShutdown() {
        return draining.get();
    }
}
