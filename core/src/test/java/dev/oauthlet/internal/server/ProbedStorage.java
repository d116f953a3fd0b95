package dev.oauthlet.internal.server;

import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.ForwardingStorage;
import dev.oauthlet.spi.RefreshTokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Memory storage whose refresh-token purging a test can watch (which thread, what limit) and
 * make fail: each queued failure is thrown by one purge call, in order.
 */
final class ProbedStorage extends ForwardingStorage {

    /** One call of {@code refreshTokens().purgeExpired}. */
    record PurgeCall(Thread thread, int limit) {
    }

    final MemoryStorage data;
    final List<PurgeCall> refreshPurges = new CopyOnWriteArrayList<>();
    final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final RefreshTokenStore refreshTokens;

    ProbedStorage() {
        this(new MemoryStorage());
    }

    private ProbedStorage(MemoryStorage data) {
        super(data);
        this.data = data;
        this.refreshTokens = new ForwardingRefreshTokenStore(data.refreshTokens()) {
            @Override
            public int purgeExpired(Instant now, int limit) {
                refreshPurges.add(new PurgeCall(Thread.currentThread(), limit));
                Throwable failure = failures.poll();
                if (failure instanceof RuntimeException e) {
                    throw e;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                return super.purgeExpired(now, limit);
            }
        };
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }
}
