package dev.oauthlet.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request body with Servlet non-blocking I/O, so a client that sends its body a byte at a
 * time holds no thread while it dawdles, and is answered {@code 408} once {@link #READ_DEADLINE}
 * has passed since the request arrived. Without this, 200 connections sending a byte every few
 * seconds hold all of a container's threads and every legitimate request times out.
 *
 * <p>Used when the servlet is registered with async support ({@link OauthletServlets} does so);
 * otherwise {@link RequestParameters} reads blocking, checking the same deadline between reads.
 */
final class AsyncBodyReader implements ReadListener, AsyncListener {

    /** How long a client may take to send a whole request body. */
    static final Duration READ_DEADLINE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(AsyncBodyReader.class);

    /** What to do with a body read in full, on a container thread. */
    interface BodyHandler {
        void accept(byte[] body) throws IOException;
    }

    /** Writes a refusal while the request is still asynchronous. */
    interface RefusalWriter {
        void refuse(RequestRefusal refusal) throws IOException;
    }

    private final AsyncContext async;
    private final ServletInputStream in;
    private final BodyHandler handler;
    private final RefusalWriter refusals;
    private final ByteArrayOutputStream body;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final byte[] chunk = new byte[4096];
    private long total;

    private AsyncBodyReader(AsyncContext async, ServletInputStream in, long declared, BodyHandler handler, RefusalWriter refusals) {
        this.async = async;
        this.in = in;
        this.handler = handler;
        this.refusals = refusals;
        this.body = new ByteArrayOutputStream(declared > 0 && declared <= RequestParameters.MAX_BODY ? (int) declared : 256);
    }

    /**
     * Starts reading the body of {@code req}; {@code handler} runs once it is all there and within
     * bounds, {@code refusals} when it is too large or too slow. The request is completed either way.
     */
    static void read(HttpServletRequest req, HttpServletResponse resp, BodyHandler handler, RefusalWriter refusals) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > RequestParameters.DRAIN_LIMIT) {
            // Not worth reading: answer at once, and let the container close the connection.
            resp.setHeader("Connection", "close");
            refusals.refuse(RequestParameters.tooLarge());
            return;
        }
        AsyncContext async = req.startAsync(req, resp);
        async.setTimeout(READ_DEADLINE.toMillis());
        AsyncBodyReader reader = new AsyncBodyReader(async, req.getInputStream(), declared, handler, refusals);
        async.addListener(reader);
        reader.in.setReadListener(reader);
    }

    static RequestRefusal tooSlow() {
        return new RequestRefusal(408, "the request body did not arrive within " + READ_DEADLINE.toSeconds() + " s");
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!finished.get() && in.isReady()) {
            int n = in.read(chunk);
            if (n < 0) {
                return;
            }
            total += n;
            if (total > RequestParameters.DRAIN_LIMIT) {
                refuse(RequestParameters.tooLarge());
                return;
            }
            if (total <= RequestParameters.MAX_BODY) {
                body.write(chunk, 0, n);
            }
        }
    }

    @Override
    public void onAllDataRead() throws IOException {
        if (total > RequestParameters.MAX_BODY) {
            refuse(RequestParameters.tooLarge());
            return;
        }
        if (finished.compareAndSet(false, true)) {
            try {
                handler.accept(body.toByteArray());
            } finally {
                async.complete();
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        // Mostly a client that went away mid-body; Jetty also reports its idle timeout here.
        LOG.debug("reading a request body failed: {}", t.toString());
        if (finished.compareAndSet(false, true)) {
            try {
                HttpServletResponse resp = (HttpServletResponse) async.getResponse();
                if (!resp.isCommitted()) {
                    resp.setHeader("Connection", "close");
                    refusals.refuse(tooSlow());
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("could not answer a failed body read: {}", e.toString());
            } finally {
                async.complete();
            }
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        refuse(tooSlow());
    }

    private void refuse(RequestRefusal refusal) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            HttpServletResponse resp = (HttpServletResponse) async.getResponse();
            resp.setHeader("Connection", "close");
            refusals.refuse(refusal);
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not answer a refused body: {}", e.toString());
        } finally {
            async.complete();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
