package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InFlightRequestsTest {

    /** A request that is not asynchronous: all the filter asks of it. */
    private static final jakarta.servlet.ServletRequest SYNCHRONOUS_REQUEST = (jakarta.servlet.ServletRequest) java.lang.reflect.Proxy.newProxyInstance(
            InFlightRequestsTest.class.getClassLoader(), new Class<?>[] {jakarta.servlet.ServletRequest.class},
            (proxy, method, args) -> method.getName().equals("isAsyncStarted") ? Boolean.FALSE : null);

    private final InFlightRequests requests = new InFlightRequests();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    /** A request that is being served until the test releases it. */
    private Future<?> requestInFlight() throws InterruptedException {
        Future<?> f = pool.submit(() -> {
            requests.doFilter(SYNCHRONOUS_REQUEST, null, (req, resp) -> {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return null;
        });
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        return f;
    }

    @Test
    void awaitIdleWhenRequestFinishesWithinTimeoutThenReturnsZeroOnceItIsAnswered() throws Exception {
        Future<?> request = requestInFlight();
        assertEquals(1, requests.count());
        pool.submit(() -> {
            Thread.sleep(200);
            release.countDown();
            return null;
        });
        long started = System.nanoTime();
        assertEquals(0, requests.awaitIdle(Duration.ofSeconds(10)));
        request.get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(150), "it waited for the request");
    }

    @Test
    void awaitIdleWhenRequestOutlastsTimeoutThenReturnsHowManyStillRun() throws Exception {
        requestInFlight();
        assertEquals(1, requests.awaitIdle(Duration.ofMillis(100)));
    }

    @Test
    void awaitIdleWhenNothingInFlightThenReturnsAtOnce() throws Exception {
        long started = System.nanoTime();
        assertEquals(0, requests.awaitIdle(Duration.ofSeconds(10)));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1));
    }
}
