package dev.oauthlet.internal.server;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.spi.AuthorizationCodeStore;
import dev.oauthlet.spi.ClientStore;
import dev.oauthlet.spi.ConsentStore;
import dev.oauthlet.spi.FailureCounterStore;
import dev.oauthlet.spi.RefreshTokenStore;
import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.SigningKeyStore;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.UsedJtiStore;
import dev.oauthlet.spi.UserStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Clients kept in memory for {@link #TTL}, so a token request does not read its client from the
 * store every time (on H2 that read was a tenth of a client_credentials request's CPU). A change
 * made through this server — the administration API, the command line talking to it, registration,
 * the file at start — drops the entry at once; a change another node makes is seen here within
 * {@link #TTL}. Unknown client ids are not kept, so guessing them cannot fill the cache, and the
 * cache holds at most {@link #MAX_ENTRIES} clients.
 */
public final class ClientCache implements ClientStore {

    /** How long a client read from the store is used without reading it again. */
    public static final Duration TTL = Duration.ofSeconds(1);
    static final int MAX_ENTRIES = 10_000;

    private record Entry(ClientRegistration client, long readAt) {
    }

    private final ClientStore store;
    private final LongSupplier nanos;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    ClientCache(ClientStore store, LongSupplier nanos, int maxEntries) {
        this.store = store;
        this.nanos = nanos;
        this.maxEntries = maxEntries;
    }

    /** {@code storage} with its clients behind a cache; everything else, closing included, is {@code storage}'s own. */
    public static Storage around(Storage storage) {
        return new CachingStorage(storage, new ClientCache(storage.clients(), System::nanoTime, MAX_ENTRIES));
    }

    @Override
    public Optional<ClientRegistration> findById(String clientId) {
        long now = nanos.getAsLong();
        Entry e = entries.get(clientId);
        if (e != null && now - e.readAt() < TTL.toNanos()) {
            return Optional.of(e.client());
        }
        Optional<ClientRegistration> found = store.findById(clientId);
        if (found.isPresent()) {
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
            entries.put(clientId, new Entry(found.get(), now));
        } else {
            entries.remove(clientId);
        }
        return found;
    }

    @Override
    public List<ClientRegistration> findAll() {
        return store.findAll();
    }

    @Override
    public void save(ClientRegistration client) {
        entries.remove(client.id());
        store.save(client);
        entries.remove(client.id());
    }

    @Override
    public boolean delete(String clientId) {
        entries.remove(clientId);
        boolean deleted = store.delete(clientId);
        entries.remove(clientId);
        return deleted;
    }

    @Override
    public Optional<String> registrationTokenHash(String clientId) {
        // Read from the store each time: a deleted or replaced token must stop working at once, and these calls are rare.
        return store.registrationTokenHash(clientId);
    }

    @Override
    public boolean saveRegistrationTokenHash(String clientId, String hash) {
        return store.saveRegistrationTokenHash(clientId, hash);
    }

    /** The store, with {@link ClientCache} for its clients. */
    private record CachingStorage(Storage storage, ClientCache clients) implements Storage {

        @Override
        public UserStore users() {
            return storage.users();
        }

        @Override
        public RefreshTokenStore refreshTokens() {
            return storage.refreshTokens();
        }

        @Override
        public AuthorizationCodeStore authorizationCodes() {
            return storage.authorizationCodes();
        }

        @Override
        public ConsentStore consents() {
            return storage.consents();
        }

        @Override
        public SigningKeyStore signingKeys() {
            return storage.signingKeys();
        }

        @Override
        public RevokedTokenStore revokedTokens() {
            return storage.revokedTokens();
        }

        @Override
        public FailureCounterStore failureCounters() {
            return storage.failureCounters();
        }

        @Override
        public UsedJtiStore usedJtis() {
            return storage.usedJtis();
        }

        @Override
        public void close() {
            storage.close();
        }
    }
}
