package dev.oauthlet.internal.server;

import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.spi.UserStore;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.Tenant;
import dev.oauthlet.user.UserAccount;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserCredentials;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in {@link UserAuthenticator}: users from the store (declared under {@code users:}),
 * passwords checked against their PBKDF2 hashes. An unknown username spends one PBKDF2 run of the
 * cost of the last real user hash checked (the default cost until then), so its refusal takes as
 * long as a wrong password's, neither shorter nor longer. A request naming a tenant ({@code tenantType},
 * {@code tenantId}) must name one the user belongs to; the tenant then becomes claims of the token.
 */
public final class StoreUserAuthenticator implements UserAuthenticator {

    public static final String TENANT_TYPE = Tenant.TYPE_PARAMETER;
    public static final String TENANT_ID = Tenant.ID_PARAMETER;

    private final UserStore users;
    private final SecretCheckGate gate;
    /** The iterations of the last user hash checked: what a refusal of an unknown username spends. */
    private volatile int hashCost = SecretHasher.DEFAULT_ITERATIONS;

    /** Password checks capped at one per CPU at once. */
    public StoreUserAuthenticator(UserStore users) {
        this(users, new SecretCheckGate(Runtime.getRuntime().availableProcessors()));
    }

    /** Password checks run through {@code gate}, the server's cap on concurrent PBKDF2 runs. */
    public StoreUserAuthenticator(UserStore users, SecretCheckGate gate) {
        this.users = users;
        this.gate = gate;
    }

    @Override
    public Optional<AuthenticatedUser> authenticate(UserCredentials credentials) {
        Optional<UserAccount> found = users.findByUsername(credentials.username());
        if (found.isEmpty()) {
            gate.spendEqualTime(credentials.password(), hashCost);
            return Optional.empty();
        }
        UserAccount user = found.get();
        int cost = SecretHasher.iterations(user.passwordHash());
        if (cost > 0) {
            hashCost = cost;
        }
        if (!gate.matches(credentials.password(), user.passwordHash())) {
            return Optional.empty();
        }
        Map<String, String> claims = new HashMap<>(user.claims());
        String type = credentials.attributes().get(TENANT_TYPE);
        String id = credentials.attributes().get(TENANT_ID);
        if (type != null || id != null) {
            Tenant tenant = user.tenants().stream()
                    .filter(t -> (type == null || t.type().equals(type)) && (id == null || t.id().equals(id)))
                    .findFirst()
                    .orElseThrow(() -> OAuthException.invalidGrant("the user does not belong to this tenant"));
            claims.put(TENANT_TYPE, tenant.type());
            claims.put(TENANT_ID, tenant.id());
        }
        return Optional.of(new AuthenticatedUser(user.subject(), claims));
    }
}
