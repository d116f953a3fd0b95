package dev.oauthlet.internal.memory;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.spi.AuthorizationCodeRecord;
import dev.oauthlet.spi.AuthorizationCodeStore;
import dev.oauthlet.spi.ClientStore;
import dev.oauthlet.spi.ConsentStore;
import dev.oauthlet.spi.FailureCounterStore;
import dev.oauthlet.spi.UsedJtiStore;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.RefreshTokenStore;
import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.SigningKeyRecord;
import dev.oauthlet.spi.SigningKeyStore;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.UserStore;
import dev.oauthlet.user.UserAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** In-process stores for tests and single-process set-ups; every compound step is one atomic map operation. */
public final class MemoryStorage implements Storage {

    private final Map<String, ClientRegistration> clients = new ConcurrentHashMap<>();
    private final Map<String, UserAccount> users = new ConcurrentHashMap<>();
    private final Map<String, RefreshTokenRecord> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, CodeEntry> codes = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> consents = new ConcurrentHashMap<>();
    private final Map<String, SigningKeyRecord> keys = new ConcurrentHashMap<>();
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Instant> usedJtis = new ConcurrentHashMap<>();
    private final Map<String, String> registrationTokens = new ConcurrentHashMap<>();

    private record CodeEntry(AuthorizationCodeRecord code, boolean used) {
    }

    private record Counter(int count, Instant windowStart) {
    }

    private final ClientStore clientStore = new ClientStore() {
        @Override
        public Optional<ClientRegistration> findById(String clientId) {
            return Optional.ofNullable(clients.get(clientId));
        }

        @Override
        public List<ClientRegistration> findAll() {
            return clients.values().stream().sorted(Comparator.comparing(ClientRegistration::id)).toList();
        }

        @Override
        public void save(ClientRegistration client) {
            // As a database would: a file client's plain client_secret_jwt secret stays in the configuration; a sealed one is kept.
            clients.put(client.id(), client.withKeys(client.keys().withoutSecret(), client.dpop()));
        }

        @Override
        public boolean delete(String clientId) {
            registrationTokens.remove(clientId);
            return clients.remove(clientId) != null;
        }

        @Override
        public Optional<String> registrationTokenHash(String clientId) {
            return clients.containsKey(clientId) ? Optional.ofNullable(registrationTokens.get(clientId)) : Optional.empty();
        }

        @Override
        public boolean saveRegistrationTokenHash(String clientId, String hash) {
            if (!clients.containsKey(clientId)) {
                return false;
            }
            registrationTokens.put(clientId, hash);
            return true;
        }
    };

    private final UserStore userStore = new UserStore() {
        @Override
        public Optional<UserAccount> findByUsername(String username) {
            return Optional.ofNullable(users.get(username));
        }

        @Override
        public List<UserAccount> findAll() {
            return users.values().stream().sorted(Comparator.comparing(UserAccount::username)).toList();
        }

        @Override
        public void save(UserAccount user) {
            users.put(user.username(), user);
        }

        @Override
        public boolean delete(String username) {
            return users.remove(username) != null;
        }
    };

    private final RefreshTokenStore refreshTokenStore = new RefreshTokenStore() {
        /**
         * Rotation (mark the token, then add its successor) and family revocation each take this
         * lock: otherwise a revocation between the two steps would miss the successor.
         */
        private final Object familyLock = new Object();

        @Override
        public void save(RefreshTokenRecord token) {
            refreshTokens.put(token.hash(), token);
        }

        @Override
        public Optional<RefreshTokenRecord> findByHash(String hash) {
            return Optional.ofNullable(refreshTokens.get(hash));
        }

        @Override
        public boolean rotate(String hash, Instant at, byte[] sealedSuccessor, RefreshTokenRecord successor) {
            synchronized (familyLock) {
                return rotateLocked(hash, at, sealedSuccessor, successor);
            }
        }

        private boolean rotateLocked(String hash, Instant at, byte[] sealedSuccessor, RefreshTokenRecord successor) {
            // The successor goes in first: a racing request that sees the rotation may use it at once.
            refreshTokens.put(successor.hash(), successor);
            AtomicBoolean won = new AtomicBoolean();
            refreshTokens.computeIfPresent(hash, (k, r) -> {
                if (r.state() != RefreshTokenRecord.State.ACTIVE) {
                    return r;
                }
                won.set(true);
                return r.rotated(at, sealedSuccessor);
            });
            if (!won.get()) {
                refreshTokens.remove(successor.hash());
            }
            return won.get();
        }

        @Override
        public int revokeFamily(String familyId) {
            return revokeWhere(r -> r.familyId().equals(familyId));
        }

        @Override
        public int revokeClient(String clientId) {
            return revokeWhere(r -> r.clientId().equals(clientId));
        }

        @Override
        public int revokeSubject(String subject) {
            return revokeWhere(r -> r.subject().equals(subject));
        }

        private int revokeWhere(Predicate<RefreshTokenRecord> which) {
            AtomicInteger n = new AtomicInteger();
            synchronized (familyLock) {
                refreshTokens.replaceAll((k, r) -> {
                    if (which.test(r) && r.state() != RefreshTokenRecord.State.REVOKED) {
                        n.incrementAndGet();
                        return r.revoked();
                    }
                    return r;
                });
            }
            return n.get();
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return purge(refreshTokens, r -> r.isExpired(now), limit);
        }
    };

    private final AuthorizationCodeStore codeStore = new AuthorizationCodeStore() {
        @Override
        public void save(AuthorizationCodeRecord code) {
            codes.put(code.hash(), new CodeEntry(code, false));
        }

        @Override
        public Optional<Redemption> consume(String hash) {
            AtomicBoolean first = new AtomicBoolean();
            CodeEntry e = codes.computeIfPresent(hash, (k, c) -> {
                first.set(!c.used());
                return new CodeEntry(c.code(), true);
            });
            return e == null ? Optional.empty() : Optional.of(new Redemption(e.code(), first.get()));
        }

        @Override
        public void attachFamily(String hash, String familyId) {
            codes.computeIfPresent(hash, (k, e) -> {
                AuthorizationCodeRecord c = e.code();
                return new CodeEntry(new AuthorizationCodeRecord(c.hash(), c.clientId(), c.subject(), c.redirectUri(), c.scopes(),
                        c.codeChallenge(), c.codeChallengeMethod(), c.claims(), c.expiresAt(), familyId, c.audiences(), c.dpopJkt()),
                        e.used());
            });
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return purge(codes, e -> !now.isBefore(e.code().expiresAt()), limit);
        }
    };

    private final ConsentStore consentStore = new ConsentStore() {
        @Override
        public Set<String> find(String subject, String clientId) {
            return consents.getOrDefault(subject + '\n' + clientId, Set.of());
        }

        @Override
        public void save(String subject, String clientId, Set<String> scopes) {
            consents.put(subject + '\n' + clientId, Set.copyOf(scopes));
        }

        @Override
        public void revoke(String subject, String clientId) {
            consents.remove(subject + '\n' + clientId);
        }
    };

    private final SigningKeyStore keyStore = new SigningKeyStore() {
        @Override
        public List<SigningKeyRecord> findAll() {
            List<SigningKeyRecord> all = new ArrayList<>(keys.values());
            all.sort(Comparator.comparing(SigningKeyRecord::createdAt).reversed());
            return all;
        }

        @Override
        public synchronized void save(SigningKeyRecord key) {
            keys.put(key.kid(), key);
        }

        @Override
        public synchronized boolean insertIfAbsent(SigningKeyRecord key) {
            boolean taken = keys.containsKey(key.kid()) || (key.activeFrom() != null
                    && keys.values().stream().anyMatch(k -> key.activeFrom().equals(k.activeFrom())));
            if (!taken) {
                keys.put(key.kid(), key);
            }
            return !taken;
        }

        @Override
        public synchronized int reseal(List<Reseal> changes) {
            int changed = 0;
            for (Reseal r : changes) {
                SigningKeyRecord k = keys.get(r.kid());
                if (k != null && java.util.Objects.equals(k.keyEncryptionKeyId(), r.expectedKekId())) {
                    keys.put(r.kid(), k.withPrivateKey(r.privateKey(), r.kekId()));
                    changed++;
                }
            }
            return changed;
        }

        @Override
        public void delete(String kid) {
            keys.remove(kid);
        }
    };

    private final RevokedTokenStore revokedStore = new RevokedTokenStore() {
        @Override
        public void revoke(String jti, Instant expiresAt) {
            revoked.put(jti, expiresAt);
        }

        @Override
        public boolean isRevoked(String jti) {
            return revoked.containsKey(jti);
        }

        @Override
        public java.util.Set<String> activeEntries(Instant now) {
            java.util.Set<String> active = new java.util.HashSet<>();
            revoked.forEach((jti, exp) -> {
                if (now.isBefore(exp)) {
                    active.add(jti);
                }
            });
            return active;
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return purge(revoked, exp -> !now.isBefore(exp), limit);
        }
    };

    private final FailureCounterStore counterStore = new FailureCounterStore() {
        @Override
        public int increment(String key, Instant now, Duration window) {
            return counters.merge(key, new Counter(1, now), (old, one) ->
                    old.windowStart().plus(window).isBefore(now) ? one : new Counter(old.count() + 1, old.windowStart())).count();
        }

        @Override
        public int count(String key, Instant now, Duration window) {
            Counter c = counters.get(key);
            return c == null || c.windowStart().plus(window).isBefore(now) ? 0 : c.count();
        }

        @Override
        public void release(String key) {
            counters.computeIfPresent(key, (k, c) -> c.count() <= 1 ? null : new Counter(c.count() - 1, c.windowStart()));
        }

        @Override
        public void reset(String key) {
            counters.remove(key);
        }

        @Override
        public int purgeBefore(Instant before, int limit) {
            return purge(counters, c -> c.windowStart().isBefore(before), limit);
        }
    };

    private final UsedJtiStore usedJtiStore = new UsedJtiStore() {
        @Override
        public boolean markUsed(String key, Instant expiresAt, Instant now) {
            boolean[] fresh = {false};
            usedJtis.compute(key, (k, old) -> {
                if (old == null || !old.isAfter(now)) {
                    fresh[0] = true;
                    return expiresAt;
                }
                return old;
            });
            return fresh[0];
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return purge(usedJtis, exp -> !exp.isAfter(now), limit);
        }
    };

    private static <V> int purge(Map<String, V> map, java.util.function.Predicate<V> expired, int limit) {
        int n = 0;
        for (var it = map.entrySet().iterator(); it.hasNext() && n < limit; ) {
            if (expired.test(it.next().getValue())) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    @Override
    public ClientStore clients() {
        return clientStore;
    }

    @Override
    public UserStore users() {
        return userStore;
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return refreshTokenStore;
    }

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return codeStore;
    }

    @Override
    public ConsentStore consents() {
        return consentStore;
    }

    @Override
    public SigningKeyStore signingKeys() {
        return keyStore;
    }

    @Override
    public RevokedTokenStore revokedTokens() {
        return revokedStore;
    }

    @Override
    public FailureCounterStore failureCounters() {
        return counterStore;
    }

    @Override
    public UsedJtiStore usedJtis() {
        return usedJtiStore;
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
