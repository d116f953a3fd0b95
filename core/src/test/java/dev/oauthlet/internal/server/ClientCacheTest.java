package dev.oauthlet.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.Origin;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.ClientStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientCacheTest {

    private static final ClientRegistration PARTNER = TestConfigs.twoAudiences().clients().get(0);

    private final AtomicLong nanos = new AtomicLong();
    private final CountingStore store = new CountingStore(new MemoryStorage().clients());
    private final ClientCache cache = new ClientCache(store, nanos::get, 2);

    @Test
    void findByIdWhenReadWithinTheTtlThenTheStoreIsReadOnce() {
        store.save(PARTNER);
        cache.findById(PARTNER.id());
        nanos.addAndGet(ClientCache.TTL.toNanos() - 1);
        assertEquals(Optional.of(PARTNER), cache.findById(PARTNER.id()));
        assertEquals(1, store.reads.get());
    }

    @Test
    void findByIdWhenTheTtlHasPassedThenAnotherNodesDeletionIsSeen() {
        store.save(PARTNER);
        cache.findById(PARTNER.id());
        store.delete(PARTNER.id());           // another node, straight to the store
        nanos.addAndGet(ClientCache.TTL.toNanos());
        assertTrue(cache.findById(PARTNER.id()).isEmpty());
    }

    @Test
    void deleteWhenMadeThroughTheCacheThenSeenAtOnce() {
        store.save(PARTNER);
        cache.findById(PARTNER.id());
        assertTrue(cache.delete(PARTNER.id()));
        assertTrue(cache.findById(PARTNER.id()).isEmpty());
    }

    @Test
    void saveWhenMadeThroughTheCacheThenTheNewVersionIsSeenAtOnce() {
        store.save(PARTNER);
        cache.findById(PARTNER.id());
        ClientRegistration changed = PARTNER.withOrigin(Origin.ADMIN);
        cache.save(changed);
        assertEquals(Optional.of(changed), cache.findById(PARTNER.id()));
    }

    @Test
    void registrationTokenHashWhenSetOrTheClientDeletedThroughTheCacheThenTheStoresAnswerAtOnce() {
        ClientStore memory = new MemoryStorage().clients();
        ClientCache direct = new ClientCache(memory, nanos::get, 2);
        direct.save(PARTNER.withOrigin(Origin.REGISTRATION));
        assertTrue(direct.saveRegistrationTokenHash(PARTNER.id(), "sha256$h"));
        assertEquals(Optional.of("sha256$h"), direct.registrationTokenHash(PARTNER.id()));
        assertTrue(direct.delete(PARTNER.id()));
        assertEquals(Optional.empty(), direct.registrationTokenHash(PARTNER.id()), "the token ends with its client, cache or not");
    }

    @Test
    void findByIdWhenClientUnknownThenNotKeptSoEveryGuessReadsTheStore() {
        cache.findById("guess-1");
        cache.findById("guess-1");
        assertEquals(2, store.reads.get());
    }

    @Test
    void findByIdWhenMoreClientsThanTheBoundThenTheCacheStartsOver() {
        List<ClientRegistration> three = TestConfigs.twoAudiences().clients();
        three.forEach(store::save);
        three.forEach(c -> cache.findById(c.id()));  // the third one finds the cache full (2): it starts over
        int before = store.reads.get();
        cache.findById(three.get(0).id());
        assertEquals(before + 1, store.reads.get(), "the first was dropped when the bound was reached");
        cache.findById(three.get(2).id());
        assertEquals(before + 1, store.reads.get(), "the latest one is kept");
    }

    private static final class CountingStore implements ClientStore {
        final AtomicInteger reads = new AtomicInteger();
        private final ClientStore delegate;

        CountingStore(ClientStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<ClientRegistration> findById(String clientId) {
            reads.incrementAndGet();
            return delegate.findById(clientId);
        }

        @Override
        public List<ClientRegistration> findAll() {
            return delegate.findAll();
        }

        @Override
        public void save(ClientRegistration client) {
            delegate.save(client);
        }

        @Override
        public boolean delete(String clientId) {
            return delegate.delete(clientId);
        }
    }
}
