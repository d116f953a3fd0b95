package dev.oauthlet.servlet;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the requests of a web application that are being served, so that a stop can wait for
 * them before it closes the store: a container may destroy the context while requests still run
 * (Tomcat waits only its {@code unloadDelay}, 2 s, for them).
 */
final class InFlightRequests implements Filter {

    private final Object lock = new Object();
    private int inFlight;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        synchronized (lock) {
            inFlight++;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                // An asynchronous request (a token request reading its body) is in flight until it completes.
                request.getAsyncContext().addListener(new Completion());
            } else {
                finished();
            }
        }
    }

    private void finished() {
        synchronized (lock) {
            if (--inFlight == 0) {
                lock.notifyAll();
            }
        }
    }

    /** Counts an asynchronous request out once, however it ends. */
    private final class Completion implements AsyncListener {
        private final AtomicBoolean done = new AtomicBoolean();

        private void once() {
            if (done.compareAndSet(false, true)) {
                finished();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            once();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            once();
        }

        @Override
        public void onError(AsyncEvent event) {
            once();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /** Requests being served now. */
    int count() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /**
     * Waits until no request is being served, or {@code timeout} has passed.
     *
     * @return how many are still being served: zero unless the timeout passed
     */
    int awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            long left;
            while (inFlight > 0 && (left = deadline - System.nanoTime()) > 0) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return inFlight;
        }
    }
}
