package dev.oauthlet.config;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.user.UserAccount;
import java.util.List;
import java.util.Map;

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
 * @param introspectAudiences per client id, the audiences whose access tokens that client may introspect besides its own
 *                   tokens ({@code clients[].introspect-audiences}); a client not named may introspect only its own
 * @param registration dynamic client registration ({@code registration:}); {@code null} when off
 */
public record OauthletConfig(
        String issuer,
        StorageConfig storage,
        SigningConfig signing,
        TokenPolicy tokens,
        EndpointsConfig endpoints,
        List<String> audiences,
        Map<String, String> scopes,
        List<ClientRegistration> clients,
        List<UserAccount> users,
        AuthorizationConfig authorization,
        PagesConfig pages,
        ServerConfig server,
        CorsConfig cors,
        Map<String, java.util.Set<String>> introspectAudiences,
        RegistrationConfig registration) {

    public OauthletConfig {
        storage = storage == null ? StorageConfig.memory() : storage;
        signing = signing == null ? SigningConfig.defaults() : signing;
        tokens = tokens == null ? TokenPolicy.defaults() : tokens;
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
    }

    /** A configuration without dynamic client registration. */
    public OauthletConfig(String issuer, StorageConfig storage, SigningConfig signing, TokenPolicy tokens, EndpointsConfig endpoints,
                          List<String> audiences, Map<String, String> scopes, List<ClientRegistration> clients, List<UserAccount> users,
                          AuthorizationConfig authorization, PagesConfig pages, ServerConfig server, CorsConfig cors,
                          Map<String, java.util.Set<String>> introspectAudiences) {
        this(issuer, storage, signing, tokens, endpoints, audiences, scopes, clients, users, authorization, pages, server, cors,
                introspectAudiences, null);
    }

    /** A configuration where clients introspect only their own tokens. */
    public OauthletConfig(String issuer, StorageConfig storage, SigningConfig signing, TokenPolicy tokens, EndpointsConfig endpoints,
                          List<String> audiences, Map<String, String> scopes, List<ClientRegistration> clients, List<UserAccount> users,
                          AuthorizationConfig authorization, PagesConfig pages, ServerConfig server, CorsConfig cors) {
        this(issuer, storage, signing, tokens, endpoints, audiences, scopes, clients, users, authorization, pages, server, cors, null);
    }

    /** A configuration without CORS origins. */
    public OauthletConfig(String issuer, StorageConfig storage, SigningConfig signing, TokenPolicy tokens, EndpointsConfig endpoints,
                          List<String> audiences, Map<String, String> scopes, List<ClientRegistration> clients, List<UserAccount> users,
                          AuthorizationConfig authorization, PagesConfig pages, ServerConfig server) {
        this(issuer, storage, signing, tokens, endpoints, audiences, scopes, clients, users, authorization, pages, server, null, null);
    }

    /** A configuration with the default stop behaviour. */
    public OauthletConfig(String issuer, StorageConfig storage, SigningConfig signing, TokenPolicy tokens, EndpointsConfig endpoints,
                          List<String> audiences, Map<String, String> scopes, List<ClientRegistration> clients, List<UserAccount> users,
                          AuthorizationConfig authorization, PagesConfig pages) {
        this(issuer, storage, signing, tokens, endpoints, audiences, scopes, clients, users, authorization, pages, null, null, null);
    }

    /** A configuration with the default authorization settings and pages. */
    public OauthletConfig(String issuer, StorageConfig storage, SigningConfig signing, TokenPolicy tokens, EndpointsConfig endpoints,
                          List<String> audiences, Map<String, String> scopes, List<ClientRegistration> clients, List<UserAccount> users) {
        this(issuer, storage, signing, tokens, endpoints, audiences, scopes, clients, users, null, null, null, null, null);
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
        return new OauthletConfig(newIssuer, storage, signing, tokens, endpoints, audiences, scopes, clients, users, authorization, pages,
                server, cors, introspectAudiences, registration);
    }

    /** The audiences whose access tokens {@code clientId} may introspect besides its own; empty for none. */
    public java.util.Set<String> introspectAudiences(String clientId) {
        return introspectAudiences.getOrDefault(clientId, java.util.Set.of());
    }

    /** This configuration with another storage. */
    public OauthletConfig withStorage(StorageConfig newStorage) {
        return new OauthletConfig(issuer, newStorage, signing, tokens, endpoints, audiences, scopes, clients, users, authorization, pages,
                server, cors, introspectAudiences, registration);
    }

    /** This configuration with other signing settings. */
    public OauthletConfig withSigning(SigningConfig newSigning) {
        return new OauthletConfig(issuer, storage, newSigning, tokens, endpoints, audiences, scopes, clients, users, authorization, pages,
                server, cors, introspectAudiences, registration);
    }
}
