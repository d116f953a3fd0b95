package dev.oauthlet.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The password single flight against the real in-memory failure counters, with the default limits
 * (5 per user and address, 20 per address): the check is held until every request of a burst is
 * waiting, so "one check for the whole burst" is asserted, not hoped for.
 */
class PasswordChecksTest {

    private static final String ADDRESS = "203.0.113.7";

    private final MutableClock clock = new MutableClock();
    private final MemoryStorage data = new MemoryStorage();
    private final LoginThrottle throttle = new LoginThrottle(data.failureCounters(), AuthorizationConfig.defaults(), clock);

    /** alice with {@code alice-password}; each call counted and held until {@link #release}. */
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final UserAuthenticator held = c -> {
        calls.incrementAndGet();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return c.username().equals("alice") && c.password().equals("alice-password")
                ? Optional.of(new AuthenticatedUser("alice", Map.of())) : Optional.empty();
    };

    private static UserCredentials alice(String password) {
        return new UserCredentials("alice", password, Map.of());
    }

    /** Runs {@code n} checks at once, releases the held check once all of them wait, and returns their outcomes. */
    private List<PasswordChecks.Outcome> burst(PasswordChecks checks, int n, IntFunction<String> password) throws Exception {
        List<PasswordChecks.Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Throwable> errors = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            threads.add(new Thread(() -> {
                try {
                    outcomes.add(checks.check(alice(password.apply(index)), ADDRESS, e -> false));
                } catch (Throwable t) {
                    errors.put(index, t);
                }
            }));
        }
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING
                || t.getState() == Thread.State.TERMINATED)) {
            assertTrue(System.nanoTime() < deadline, "the burst did not settle into waiting");
            Thread.sleep(5);
        }
        release.countDown();
        for (Thread t : threads) {
            t.join(20_000);
        }
        assertEquals(Map.of(), errors);
        assertEquals(0, checks.inFlight(), "every flight's entry is gone when it ends");
        return outcomes;
    }

    private static long count(List<PasswordChecks.Outcome> outcomes, Class<?> kind) {
        return outcomes.stream().filter(kind::isInstance).count();
    }

    @Test
    void checkWhenThirtyTwoIdenticalCorrectPasswordsAtOnceThenOneCheckAndThirtyTwoSignedIn() throws Exception {
        PasswordChecks checks = new PasswordChecks(held, throttle);

        List<PasswordChecks.Outcome> outcomes = burst(checks, 32, i -> "alice-password");

        assertEquals(1, calls.get(), "one shared check");
        assertEquals(32, count(outcomes, PasswordChecks.Outcome.SignedIn.class), outcomes::toString);
        // The success handed every reservation back: a full set of guesses is still allowed from here.
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(PasswordChecks.Outcome.Wrong.class, checks.check(alice("guess" + i), ADDRESS, e -> false));
        }
    }

    @Test
    void checkWhenTwentyIdenticalWrongPasswordsAtOnceThenOneCheckFiveFailuresAndFifteenThrottled() throws Exception {
        PasswordChecks checks = new PasswordChecks(held, throttle);

        List<PasswordChecks.Outcome> outcomes = burst(checks, 20, i -> "wrong");

        assertEquals(1, calls.get(), "one shared check");
        assertEquals(5, count(outcomes, PasswordChecks.Outcome.Wrong.class), outcomes::toString);
        assertEquals(15, count(outcomes, PasswordChecks.Outcome.Throttled.class), outcomes::toString);
        // Each of the five counted its failure: the right password from that address is refused unchecked now.
        assertInstanceOf(PasswordChecks.Outcome.Throttled.class, checks.check(alice("alice-password"), ADDRESS, e -> false));
        assertEquals(1, calls.get());
        // The real user elsewhere is not locked out.
        assertInstanceOf(PasswordChecks.Outcome.SignedIn.class, checks.check(alice("alice-password"), "198.51.100.2", e -> false));
    }

    @Test
    void checkWhenTwentyDistinctWrongPasswordsAtOnceThenExactlyTheLimitChecked() throws Exception {
        PasswordChecks checks = new PasswordChecks(held, throttle);

        List<PasswordChecks.Outcome> outcomes = burst(checks, 20, i -> "guess" + i);

        assertEquals(5, calls.get(), "one check per reserved failure, no more");
        assertEquals(5, count(outcomes, PasswordChecks.Outcome.Wrong.class), outcomes::toString);
        assertEquals(15, count(outcomes, PasswordChecks.Outcome.Throttled.class), outcomes::toString);
    }

    @Test
    void checkWhenAuthenticatorFailsThenSameErrorRethrownAndNoFailureCounted() {
        IllegalStateException down = new IllegalStateException("user store unreachable");
        PasswordChecks failing = new PasswordChecks(c -> {
            throw down;
        }, throttle);
        for (int i = 0; i < 10; i++) {
            assertSame(down, assertThrows(IllegalStateException.class, () -> failing.check(alice("x"), ADDRESS, e -> false)));
        }
        release.countDown();
        PasswordChecks checks = new PasswordChecks(held, throttle);
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(PasswordChecks.Outcome.Wrong.class, checks.check(alice("guess" + i), ADDRESS, e -> false));
        }
        assertInstanceOf(PasswordChecks.Outcome.Throttled.class, checks.check(alice("guess5"), ADDRESS, e -> false));
    }

    @Test
    void checkWhenAuthenticatorRefusesWithAnErrorTheCallerCallsWrongThenItCountsAsAFailure() {
        release.countDown();
        PasswordChecks checks = new PasswordChecks(c -> {
            throw new IllegalArgumentException("not in this tenant");
        }, throttle);
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(PasswordChecks.Outcome.Wrong.class,
                    checks.check(alice("p" + i), ADDRESS, e -> e instanceof IllegalArgumentException));
        }
        assertInstanceOf(PasswordChecks.Outcome.Throttled.class,
                checks.check(alice("p5"), ADDRESS, e -> e instanceof IllegalArgumentException));
    }
}
