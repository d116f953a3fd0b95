package dev.oauthlet.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.FailureCounterStore;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserCredentials;
import java.time.Duration;
import java.time.Instant;
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
            assertFalse(t.isAlive(), "a check of the burst is still running or waiting");
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

    /**
     * The counters with each success's settling held: {@code reset} (the first thing a success does to
     * its reservation) waits, for the first {@code holding} calls, until {@link #settle} is released.
     */
    private static class HeldSettling implements FailureCounterStore {
        private final FailureCounterStore counters;
        private final AtomicInteger holding;
        final CountDownLatch settling;
        final CountDownLatch settle = new CountDownLatch(1);

        HeldSettling(FailureCounterStore counters, int holding) {
            this.counters = counters;
            this.holding = new AtomicInteger(holding);
            this.settling = new CountDownLatch(holding);
        }

        @Override
        public int increment(String key, Instant now, Duration window) {
            return counters.increment(key, now, window);
        }

        @Override
        public int count(String key, Instant now, Duration window) {
            return counters.count(key, now, window);
        }

        @Override
        public void release(String key) {
            counters.release(key);
        }

        @Override
        public void reset(String key) {
            if (holding.getAndDecrement() > 0) {
                settling.countDown();
                try {
                    settle.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            counters.reset(key);
        }

        @Override
        public int purgeBefore(Instant before, int limit) {
            return counters.purgeBefore(before, limit);
        }
    }

    /**
     * Starts {@code n} checks of alice's right password, lets their one held check succeed once all
     * of them wait on it, and returns their threads once each is held settling its reservation.
     */
    private List<Thread> settling(PasswordChecks checks, HeldSettling counters, int n, List<PasswordChecks.Outcome> outcomes)
            throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> outcomes.add(checks.check(alice("alice-password"), ADDRESS, e -> false)));
            t.start();
            threads.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (calls.get() == 0 || !threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING)) {
            assertTrue(System.nanoTime() < deadline, "the checks did not settle into waiting");
            Thread.sleep(5);
        }
        release.countDown();
        assertTrue(counters.settling.await(20, TimeUnit.SECONDS), "every one is settling its reservation");
        return threads;
    }

    /** Lets the held reservations settle and waits for {@code threads}. */
    private static void settle(HeldSettling counters, List<Thread> threads) throws InterruptedException {
        counters.settle.countDown();
        for (Thread t : threads) {
            t.join(20_000);
            assertFalse(t.isAlive(), "a settling check is still running or waiting");
        }
    }

    /**
     * The restart burst's last request, the one HTTP caught as an intermittent 429: five identical
     * sign-ins hold the limit's five reservations, their check succeeds, and while they are still
     * handing the reservations back a sixth arrives. It may not reserve; it must find the check
     * just over and share its success, not start a check of its own that it may not run.
     */
    @Test
    void checkWhenATwinArrivesWhileTheLimitsReservationsAreSettlingThenItSharesTheSuccess() throws Exception {
        HeldSettling counters = new HeldSettling(data.failureCounters(), 5);
        PasswordChecks checks = new PasswordChecks(held, new LoginThrottle(counters, AuthorizationConfig.defaults(), clock));
        List<PasswordChecks.Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> five = settling(checks, counters, 5, outcomes);

        PasswordChecks.Outcome sixth = checks.check(alice("alice-password"), ADDRESS, e -> false);

        settle(counters, five);
        assertInstanceOf(PasswordChecks.Outcome.SignedIn.class, sixth);
        assertEquals(5, count(outcomes, PasswordChecks.Outcome.SignedIn.class), outcomes::toString);
        assertEquals(1, calls.get(), "the sixth shared the one check");
        assertEquals(0, checks.inFlight());
    }

    /**
     * A finished check is shared only with requests that may not check: one that can reserve runs
     * its own, so a password changed in the moment after a check is not missed by a request that
     * arrives while the check's requests are still settling.
     */
    @Test
    void checkWhenATwinThatMayCheckArrivesAfterTheCheckThenItChecksAgainAndSeesTheChange() throws Exception {
        HeldSettling counters = new HeldSettling(data.failureCounters(), 2);
        String[] current = {"alice-password"};
        // alice's password is current[0]; the held authenticator does the waiting and the counting.
        UserAuthenticator changing = c -> held.authenticate(new UserCredentials(c.username(),
                c.password().equals(current[0]) ? "alice-password" : "not-" + c.password(), c.attributes()));
        PasswordChecks checks = new PasswordChecks(changing, new LoginThrottle(counters, AuthorizationConfig.defaults(), clock));
        List<PasswordChecks.Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> two = settling(checks, counters, 2, outcomes);
        current[0] = "changed-password";

        PasswordChecks.Outcome third = checks.check(alice("alice-password"), ADDRESS, e -> false);

        settle(counters, two);
        assertEquals(2, count(outcomes, PasswordChecks.Outcome.SignedIn.class), outcomes::toString);
        assertInstanceOf(PasswordChecks.Outcome.Wrong.class, third);
        assertEquals(2, calls.get(), "the third ran a check of its own");
        assertEquals(0, checks.inFlight());
    }

    /** The memory counters, with {@code before} run before each increment (a reservation's store round trip). */
    private static FailureCounterStore beforeIncrement(FailureCounterStore counters, Runnable before) {
        return new HeldSettling(counters, 0) {
            @Override
            public int increment(String key, Instant now, Duration window) {
                before.run();
                return super.increment(key, now, window);
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A finished success is shared no longer than the reservations made during its check take to
     * settle, and at most {@code shareFor} after it: a twin stuck in its own reservation does not
     * keep the result alive for refused requests that arrive later — after the password changed.
     */
    @Test
    void checkWhenARefusedTwinArrivesAfterTheChecksReservationsAreSettledThenThrottledAndNotShared() throws Exception {
        String[] current = {"alice-password"};
        UserAuthenticator changing = c -> held.authenticate(new UserCredentials(c.username(),
                c.password().equals(current[0]) ? "alice-password" : "not-" + c.password(), c.attributes()));
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch unstick = new CountDownLatch(1);
        FailureCounterStore counters = beforeIncrement(data.failureCounters(), () -> {
            if (Thread.currentThread().getName().equals("stuck") && stuck.getCount() > 0) {
                stuck.countDown();
                await(unstick);
            }
        });
        LoginThrottle limits = new LoginThrottle(counters, AuthorizationConfig.defaults(), clock);
        PasswordChecks checks = new PasswordChecks(changing, limits, Duration.ofMillis(100));
        // 19 of the address's 20 failures are used, by other names.
        for (int i = 0; i < 19; i++) {
            limits.reserve("u" + i, ADDRESS).failed();
        }
        List<PasswordChecks.Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread holder = new Thread(() -> outcomes.add(checks.check(alice("alice-password"), ADDRESS, e -> false)));
        holder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (calls.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "the holder's check did not start");
            Thread.sleep(5);
        }
        Thread twin = new Thread(() -> checks.check(alice("alice-password"), ADDRESS, e -> false), "stuck");
        twin.start();
        assertTrue(stuck.await(20, TimeUnit.SECONDS), "the twin joined the check and is reserving");
        release.countDown();
        holder.join(20_000);
        assertEquals(1, count(outcomes, PasswordChecks.Outcome.SignedIn.class));
        limits.reserve("u19", ADDRESS).failed();
        current[0] = "changed-password";
        Thread.sleep(200);
        try {
            assertInstanceOf(PasswordChecks.Outcome.Throttled.class, checks.check(alice("alice-password"), ADDRESS, e -> false),
                    "the old password is not signed in on a check that ended before the change");
        } finally {
            unstick.countDown();
            twin.join(20_000);
        }
        assertEquals(1, calls.get());
        assertEquals(0, checks.inFlight());
    }

    @Test
    void checkWhenTheAuthenticatorThrowsAnErrorThenItGoesOnUpAndCountsNothing() {
        release.countDown();
        PasswordChecks broken = new PasswordChecks(c -> {
            throw new AssertionError("authenticator broke");
        }, throttle);
        for (int i = 0; i < 3; i++) {
            assertThrows(AssertionError.class, () -> broken.check(alice("x"), ADDRESS, e -> false));
        }
        assertEquals(0, broken.inFlight());
        PasswordChecks checks = new PasswordChecks(held, throttle);
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(PasswordChecks.Outcome.Wrong.class, checks.check(alice("guess" + i), ADDRESS, e -> false), "guess " + i);
        }
        assertInstanceOf(PasswordChecks.Outcome.Throttled.class, checks.check(alice("guess5"), ADDRESS, e -> false));
    }

    /** A started thread named {@code name} signing alice in; what it throws goes into {@code thrown} under its name. */
    private static Thread signingIn(PasswordChecks checks, String name, Map<String, Throwable> thrown) {
        Thread t = new Thread(() -> {
            try {
                checks.check(alice("alice-password"), ADDRESS, e -> false);
            } catch (Throwable e) {
                thrown.put(name, e);
            }
        }, name);
        t.start();
        return t;
    }

    @Test
    void checkWhenTheCountersThrowAnErrorForTheLeaderThenItsTwinIsNotLeftWaiting() throws Exception {
        release.countDown();
        CountDownLatch leaderReserving = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        FailureCounterStore counters = beforeIncrement(data.failureCounters(), () -> {
            if (Thread.currentThread().getName().equals("leader")) {
                leaderReserving.countDown();
                await(fail);
                throw new AssertionError("counter store broke");
            }
        });
        PasswordChecks checks = new PasswordChecks(held, new LoginThrottle(counters, AuthorizationConfig.defaults(), clock));
        Map<String, Throwable> thrown = new ConcurrentHashMap<>();
        Thread leader = signingIn(checks, "leader", thrown);
        assertTrue(leaderReserving.await(20, TimeUnit.SECONDS));
        Thread twin = signingIn(checks, "twin", thrown);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (twin.getState() != Thread.State.WAITING && twin.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the twin did not wait on the leader's flight");
            Thread.sleep(5);
        }
        fail.countDown();
        leader.join(20_000);
        twin.join(20_000);
        assertFalse(twin.isAlive(), "the twin is not left waiting on a flight nobody completes");
        assertInstanceOf(AssertionError.class, thrown.get("leader"));
        assertInstanceOf(AssertionError.class, thrown.get("twin"));
        assertEquals(0, checks.inFlight());
        assertEquals(0, calls.get(), "nothing was checked without a reservation");
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
