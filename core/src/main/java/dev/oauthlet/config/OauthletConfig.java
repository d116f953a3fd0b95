package dev.oauthlet.config;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.crypto.VerifiedSecrets;
import dev.oauthlet.user.UserAccount;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole configuration, as {@link ConfigLoader} reads it from {@code oauthlet.yml}.
 *
 * @param issuer     the {@code iss} of tokens; {@code null} derives it from the bound address
 * @param storage    where state lives
 * @param signing    how tokens are signed
 * @param tokens     token lifetimes and policies
 * @param endpoints  servlet paths
 * @param audiences  the audiences clients may receive tokens for
 * @param scopes     scope descriptions for consent pages, by scope
 * @param clients    clients, secrets already hashed
 * @param users      users of the built-in store, passwords already hashed
 * @param authorization the authorization code flow: PKCE, login session, login limits
 * @param pages      the look of the login and consent pages
 * @param server     how the hosting process stops
 * @param cors       the browser origins allowed to call the endpoints
 * @param metrics    the meters' endpoint access and tag bounds
 * @param introspectAudiences per client id, the audiences whose access tokens that client may introspect besides its own
 *                   tokens ({@code clients[].introspect-audiences}); a client not named may introspect only its own
 * @param registration dynamic client registration ({@code registration:}); {@code null} when off
 * @param verifiedSecrets the memory of the secrets the file gave in plain text (each one's HMAC beside its hash), handed to
 *                   the server built from this configuration so their first use needs no PBKDF2 run; a new, empty one by default
 */
public record OauthletConfig(
        String issuer,
        StorageConfig storage,
        SigningConfig signing,
        TokensConfig tokens,
        EndpointsConfig endpoints,
        List<String> audiences,
        Map<String, String> scopes,
        List<ClientRegistration> clients,
        List<UserAccount> users,
        AuthorizationConfig authorization,
        PagesConfig pages,
        ServerConfig server,
        CorsConfig cors,
        Map<String, Set<String>> introspectAudiences,
        MetricsConfig metrics,
        RegistrationConfig registration,
        VerifiedSecrets verifiedSecrets) {

    public OauthletConfig {
        storage = storage == null ? StorageConfig.memory() : storage;
        signing = signing == null ? SigningConfig.defaults() : signing;
        tokens = tokens == null ? TokensConfig.defaults() : tokens;
        endpoints = endpoints == null ? EndpointsConfig.defaults() : endpoints;
        audiences = List.copyOf(audiences);
        scopes = Map.copyOf(scopes);
        clients = List.copyOf(clients);
        users = List.copyOf(users);
        authorization = authorization == null ? AuthorizationConfig.defaults() : authorization;
        pages = pages == null ? PagesConfig.defaults() : pages;
        server = server == null ? ServerConfig.defaults() : server;
        cors = cors == null ? CorsConfig.none() : cors;
        introspectAudiences = introspectAudiences == null ? Map.of() : Map.copyOf(introspectAudiences);
        verifiedSecrets = verifiedSecrets == null ? new VerifiedSecrets() : verifiedSecrets;
        metrics = metrics == null ? MetricsConfig.defaults() : metrics;
    }

    /** An empty configuration: every part at its default, no clients, users, audiences or scopes. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every part of this configuration, to change some and keep the rest. */
    public Builder toBuilder() {
        return new Builder().issuer(issuer).storage(storage).signing(signing).tokens(tokens).endpoints(endpoints)
                .audiences(audiences).scopes(scopes).clients(clients).users(users).authorization(authorization).pages(pages)
                .server(server).cors(cors).introspectAudiences(introspectAudiences).metrics(metrics).registration(registration)
                .verifiedSecrets(verifiedSecrets);
    }

    /**
     * This configuration with another issuer, e.g. once the bound port is known; checked and
     * normalised as the file's {@code issuer} is (a trailing {@code /} is dropped).
     *
     * @throws ConfigException when it is not an http(s) URL
     */
    public OauthletConfig withIssuer(String newIssuer) {
        if (newIssuer != null) {
            try {
                newIssuer = Issuers.normalize(newIssuer);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("issuer: " + e.getMessage());
            }
        }
        return toBuilder().issuer(newIssuer).build();
    }

    /** The audiences whose access tokens {@code clientId} may introspect besides its own; empty for none. */
    public Set<String> introspectAudiences(String clientId) {
        return introspectAudiences.getOrDefault(clientId, Set.of());
    }

    /** This configuration with another storage. */
    public OauthletConfig withStorage(StorageConfig newStorage) {
        return toBuilder().storage(newStorage).build();
    }

    /**
     * Assembles an {@link OauthletConfig} in code; a part left unset takes the default the file
     * would give it. The record's constructor checks the result.
     */
    public static final class Builder {
        private String issuer;
        private StorageConfig storage;
        private SigningConfig signing;
        private TokensConfig tokens;
        private EndpointsConfig endpoints;
        private List<String> audiences = List.of();
        private Map<String, String> scopes = Map.of();
        private List<ClientRegistration> clients = List.of();
        private List<UserAccount> users = List.of();
        private AuthorizationConfig authorization;
        private PagesConfig pages;
        private ServerConfig server;
        private CorsConfig cors;
        private Map<String, Set<String>> introspectAudiences = Map.of();
        private MetricsConfig metrics;
        private RegistrationConfig registration;
        private VerifiedSecrets verifiedSecrets;

        private Builder() {
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder storage(StorageConfig storage) {
            this.storage = storage;
            return this;
        }

        public Builder signing(SigningConfig signing) {
            this.signing = signing;
            return this;
        }

        public Builder tokens(TokensConfig tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder endpoints(EndpointsConfig endpoints) {
            this.endpoints = endpoints;
            return this;
        }

        public Builder audiences(List<String> audiences) {
            this.audiences = audiences;
            return this;
        }

        public Builder scopes(Map<String, String> scopes) {
            this.scopes = scopes;
            return this;
        }

        public Builder clients(List<ClientRegistration> clients) {
            this.clients = clients;
            return this;
        }

        public Builder users(List<UserAccount> users) {
            this.users = users;
            return this;
        }

        public Builder authorization(AuthorizationConfig authorization) {
            this.authorization = authorization;
            return this;
        }

        public Builder pages(PagesConfig pages) {
            this.pages = pages;
            return this;
        }

        public Builder server(ServerConfig server) {
            this.server = server;
            return this;
        }

        public Builder cors(CorsConfig cors) {
            this.cors = cors;
            return this;
        }

        public Builder introspectAudiences(Map<String, Set<String>> introspectAudiences) {
            this.introspectAudiences = introspectAudiences;
            return this;
        }

        public Builder metrics(MetricsConfig metrics) {
            this.metrics = metrics;
            return this;
        }

        /** Dynamic client registration; {@code null} (the default) leaves it off. */
        public Builder registration(RegistrationConfig registration) {
            this.registration = registration;
            return this;
        }

        public Builder verifiedSecrets(VerifiedSecrets verifiedSecrets) {
            this.verifiedSecrets = verifiedSecrets;
            return this;
        }

        public OauthletConfig build() {
            return new OauthletConfig(issuer, storage, signing, tokens, endpoints, audiences, scopes, clients, users, authorization, pages,
                    server, cors, introspectAudiences, metrics, registration, verifiedSecrets);
        }
    }

    /** This configuration with other signing settings. */
    public OauthletConfig withSigning(SigningConfig newSigning) {
        return toBuilder().signing(newSigning).build();
    }
}
