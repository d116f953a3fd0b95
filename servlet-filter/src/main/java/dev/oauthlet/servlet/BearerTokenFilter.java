package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.config.CorsConfig;
import dev.oauthlet.dpop.DpopException;
import dev.oauthlet.dpop.DpopNonces;
import dev.oauthlet.dpop.DpopProof;
import dev.oauthlet.dpop.DpopProofVerifier;
import dev.oauthlet.dpop.MemoryReplayGuard;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.key.RemoteKeyResolver;
import dev.oauthlet.metrics.OauthletMetrics;
import dev.oauthlet.metrics.ResourceMetrics;
import dev.oauthlet.error.OutageLog;
import dev.oauthlet.spi.StorageException;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.token.AccessTokenVerifier;
import dev.oauthlet.token.BearerTokenValidator;
import dev.oauthlet.token.TokenVerificationException;
import dev.oauthlet.token.VerifiedTokenCache;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through only with a valid access token for this filter's audience. The token
 * comes from {@code Authorization: Bearer} (and, when enabled, the RFC 6750 form-body or query
 * forms); it is verified against the co-located server's keys, or — in remote mode — against the
 * JWKS of an authorization server elsewhere. Refusals follow RFC 6750 §3: {@code 401} with a
 * {@code WWW-Authenticate: Bearer} challenge (bare when the request had no token), {@code 400
 * invalid_request} for a request carrying a token twice, {@code 403 insufficient_scope} naming the
 * scopes needed.
 *
 * <p>On success the application sees a {@link TokenPrincipal} as {@code getUserPrincipal()},
 * {@code isUserInRole(scope)} for each granted scope, the {@link AccessToken} under
 * {@link #TOKEN_ATTRIBUTE} and every claim as a map under {@link #CLAIMS_ATTRIBUTE}.
 *
 * <p>Init-params (web.xml, or the map constructor) are listed in README.md: {@code audience}
 * (required unless {@code resource} is given), {@code resource} (an RFC 8707 / RFC 9728 resource URI: tokens for it pass,
 * and the filter serves its protected-resource metadata, to which every challenge points), {@code realm}, {@code scopes}, {@code path-scopes}, {@code token-in-form},
 * {@code token-in-query}, {@code expired-token-error}, {@code revocation-check}, {@code revocation-fail-open}, {@code cache-size}, {@code cache-idle},
 * and for remote mode {@code issuer}, {@code jwks-uri}, {@code algorithms}, {@code clock-skew},
 * {@code jwks-refetch-interval}, {@code jwks-cache-ttl}. Without {@code issuer} the filter uses the
 * {@link Oauthlet} given to its constructor or published in the servlet context.
 *
 * <p>Every request is counted in the server's metrics ({@link Oauthlet#metrics()}; in remote mode,
 * those under {@link OauthletContextListener#METRICS_ATTRIBUTE}): let through, or refused by reason,
 * and each cache lookup; docs/operations.md lists the meters.
 */
public final class BearerTokenFilter implements Filter {

    /** The request attribute holding the verified {@link AccessToken}. */
    public static final String TOKEN_ATTRIBUTE = AccessToken.class.getName();
    /** The request attribute holding every claim of the token, as an unmodifiable {@code Map<String, Object>}. */
    public static final String CLAIMS_ATTRIBUTE = "dev.oauthlet.claims";

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenFilter.class);
    /** The most DPoP proof jtis one filter remembers; far above what a node serves in a proof's minute. */
    private static final int REPLAY_ENTRIES = 1_000_000;
    private static final Duration NONCE_PERIOD = Duration.ofMinutes(5);

    private final Map<String, String> params;
    /** Guards the userinfo endpoint: any audience, scope openid ({@link #forUserInfo}). */
    private final boolean userinfo;
    private Oauthlet server;
    private FilterSettings settings;
    private BearerTokenValidator validator;
    private BearerTokenExtractor extractor;
    private BearerChallenges challenges;
    private DpopProofVerifier dpop;
    private ResourceMetrics meters = ResourceMetrics.NONE;
    private String issuerOrigin;
    /** The origin of the {@code public-url} init-param, worked out once; {@code null} without it. */
    private String publicOrigin;
    /** For a filter without a co-located server; with one, its outage log is shared. */
    private final OutageLog ownOutages = new OutageLog(LOG, "the deny-list");

    private OutageLog denyListOutages() {
        return server != null ? server.storeOutages() : ownOutages;
    }

    /** The RFC 9728 document and its context-relative path; {@code null} without a {@code resource} init-param. */
    private String metadataJson;
    private String metadataPath;
    private CorsConfig cors = CorsConfig.none();

    /** For web.xml: settings come from init-params; a co-located server from the servlet context. */
    public BearerTokenFilter() {
        this(null, Map.of());
    }

    /** For code: guards {@code audience} with the given server; every request needs {@code requiredScopes}. */
    public BearerTokenFilter(Oauthlet server, String audience, Set<String> requiredScopes) {
        this(server, Map.of("audience", audience, "scopes", String.join(" ", requiredScopes)));
    }

    /**
     * For code: the same settings web.xml would give as init-params; init-params, when the container
     * passes any, override them.
     *
     * @param server the co-located server; {@code null} for remote mode or to find it in the servlet context
     * @throws IllegalArgumentException when a name is not one of the init-params listed above
     */
    public BearerTokenFilter(Oauthlet server, Map<String, String> initParams) {
        // Checked here as web.xml's are in init(): a misspelt name (revocation_check) would otherwise be ignored silently.
        for (String name : initParams.keySet()) {
            if (!FilterSettings.NAMES.contains(name)) {
                throw new IllegalArgumentException(unknown(name));
            }
        }
        this.server = server;
        this.params = Map.copyOf(initParams);
        this.userinfo = false;
    }

    private BearerTokenFilter(Oauthlet server) {
        this.server = server;
        // The audience names nothing here: every audience passes, and scope openid admits the token.
        this.params = Map.of("audience", "userinfo", "realm", server.issuer(), "scopes", "openid", "revocation-check", "true",
                "cache-size", "0");
        this.userinfo = true;
    }

    /** The filter of the OpenID Connect userinfo endpoint: any access token of this server with scope {@code openid}, Bearer or DPoP. */
    static BearerTokenFilter forUserInfo(Oauthlet server) {
        return new BearerTokenFilter(server);
    }

    private static String unknown(String name) {
        return "unknown init-param '" + name + "' (known: " + String.join(", ", FilterSettings.NAMES) + ")";
    }

    /**
     * Where a filter with init-param {@code resource} serves its RFC 9728 document, relative to the
     * web application's root: map the filter to this path too (with the root context, it is the
     * well-known location RFC 9728 §3.1 names).
     */
    public static String metadataPath(String resource) {
        return ProtectedResourceMetadata.wellKnownPath(resource);
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        Map<String, String> all = new HashMap<>(params);
        for (String name : Collections.list(config.getInitParameterNames())) {
            if (!FilterSettings.NAMES.contains(name)) {
                throw new ServletException(describe(config) + ": " + unknown(name));
            }
            all.put(name, config.getInitParameter(name));
        }
        try {
            settings = FilterSettings.parse(all::get);
        } catch (IllegalArgumentException e) {
            throw new ServletException(describe(config) + ": " + e.getMessage());
        }
        ErrorCode expired = settings.expiredTokenError();
        AccessTokenVerifier verifier;
        if (settings.remote()) {
            verifier = remoteVerifier();
        } else {
            if (server == null) {
                server = OauthletLocator.fromContext(config.getServletContext());
            }
            verifier = server.verifier();
            if (expired == null) {
                expired = server.config().tokens().expiredTokenError();
            }
        }
        meters = metrics(config).resource(settings.acceptedAudiences().iterator().next());
        VerifiedTokenCache cache = settings.cacheSize() == 0 ? null : new VerifiedTokenCache(settings.cacheSize(), settings.cacheIdle(), Clock.systemUTC(), meters);
        validator = userinfo ? BearerTokenValidator.anyAudience(verifier, server.revocations())
                : new BearerTokenValidator(verifier, settings.acceptedAudiences(), cache,
                        settings.revocationCheck() ? server.revocations() : null, settings.revocationFailOpen());
        FilterSettings.Dpop d = settings.dpop();
        boolean dpopOn = d.mode() != DpopMode.OFF;
        extractor = new BearerTokenExtractor(settings.formBodyToken(), settings.queryToken(), dpopOn);
        if (dpopOn) {
            // Per node, in memory: a store write on every request would cost more than checking the proof.
            dpop = new DpopProofVerifier(d.proofMaxAge(), settings.remote() ? settings.clockSkew() : server.config().tokens().clockSkew(),
                    new MemoryReplayGuard(REPLAY_ENTRIES, Clock.systemUTC()), d.nonce() ? DpopNonces.random(NONCE_PERIOD, Clock.systemUTC()) : null,
                    Clock.systemUTC());
        }
        issuerOrigin = settings.remote() ? null : origin(server.issuer());
        publicOrigin = settings.dpop().publicUrl() == null ? null : origin(settings.dpop().publicUrl().toString());
        String metadataUrl = null;
        if (settings.resource() != null) {
            metadataJson = ProtectedResourceMetadataServlet.document(settings, settings.remote() ? null : server);
            metadataPath = ProtectedResourceMetadata.wellKnownPath(settings.resource());
            metadataUrl = ProtectedResourceMetadata.url(settings.resource(), config.getServletContext().getContextPath());
        }
        if (!settings.remote()) {
            cors = server.config().cors();
        }
        challenges = new BearerChallenges(settings.realm(), expired == null ? ErrorCode.INVALID_TOKEN : expired, metadataUrl,
                dpopOn ? String.join(" ", DpopProofVerifier.ALGORITHMS) : null);
    }

    /**
     * The co-located server's metrics; in remote mode, those the application put in the servlet
     * context under {@link OauthletContextListener#METRICS_ATTRIBUTE}, else none.
     */
    private OauthletMetrics metrics(FilterConfig config) {
        if (server != null) {
            return server.metrics();
        }
        jakarta.servlet.ServletContext ctx = config.getServletContext();
        Object given = ctx == null ? null : ctx.getAttribute(OauthletContextListener.METRICS_ATTRIBUTE);
        return given instanceof OauthletMetrics m ? m : OauthletMetrics.NONE;
    }

    private AccessTokenVerifier remoteVerifier() {
        RemoteKeyResolver.Settings fetch = new RemoteKeyResolver.Settings(settings.refetchInterval(), settings.jwksCacheTtl(),
                RemoteKeyResolver.Settings.defaults().timeout());
        RemoteKeyResolver keys = settings.jwksUri() != null
                ? RemoteKeyResolver.forJwksUri(settings.jwksUri(), fetch, Clock.systemUTC())
                : RemoteKeyResolver.forIssuer(settings.issuer(), fetch, Clock.systemUTC());
        // Fetching now finds a misconfigured URL in the start-up log; a server that is down is retried later.
        keys.prefetch();
        return new AccessTokenVerifier(keys, settings.algorithms(), settings.issuer(), settings.clockSkew(), Clock.systemUTC());
    }

    private static String describe(FilterConfig config) {
        return "BearerTokenFilter '" + config.getFilterName() + "'";
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        if (metadataPath != null && metadataPath.equals(contextRelativePath(req))) {
            ProtectedResourceMetadataServlet.answer(metadataJson, cors, req, resp);
            return;
        }
        long start = meters.start();
        BearerTokenExtractor.Result found = extractor.extract(req);
        if (found.invalidRequest() != null) {
            challenges.invalidRequest(req, resp, found.invalidRequest());
            meters.refused(ResourceMetrics.INVALID_REQUEST, start);
            return;
        }
        if (found.token() == null) {
            challenges.noToken(req, resp);
            meters.refused(ResourceMetrics.NO_TOKEN, start);
            return;
        }
        if (extractor.queryEnabled()) {
            // RFC 6750 §2.3: a response to a request that may carry the token in its URI is private.
            resp.setHeader("Cache-Control", "private");
        }
        AccessToken token;
        try {
            token = validator.validate(found.token());
        } catch (TokenVerificationException e) {
            LOG.debug("bearer token refused: {}", e.reason());
            if (found.dpopScheme()) {
                challenges.dpopRefused(req, resp, ErrorCode.INVALID_TOKEN, e.getMessage(), null);
            } else {
                challenges.invalidToken(req, resp, e);
            }
            meters.refused(e.reason().label(), start);
            return;
        } catch (StorageException e) {
            denyListOutages().failed(e);
            challenges.unavailable(req, resp);
            meters.refused(ResourceMetrics.DENY_LIST_UNAVAILABLE, start);
            return;
        }
        String bindingRefused = checkBinding(req, resp, found, token);
        if (bindingRefused != null) {
            meters.refused(bindingRefused, start);
            return;
        }
        Set<String> missing = missingScopes(req, token);
        if (!missing.isEmpty()) {
            challenges.insufficientScope(req, resp, missing);
            meters.refused(ResourceMetrics.INSUFFICIENT_SCOPE, start);
            return;
        }
        TokenPrincipal principal = new TokenPrincipal(token);
        req.setAttribute(TOKEN_ATTRIBUTE, token);
        req.setAttribute(CLAIMS_ATTRIBUTE, principal.claims());
        meters.accepted(start);
        chain.doFilter(new AuthenticatedRequest(req, principal), response);
    }

    /**
     * RFC 9449 §7: a token sent with the DPoP scheme needs a proof of its {@code cnf.jkt} key for
     * this very request; a bound token sent as Bearer is refused (whoever holds it lacks the key, or
     * would not downgrade), and so is any Bearer token where DPoP is required.
     *
     * @return {@code null} when the binding holds, else the reason the request was refused for ({@link ResourceMetrics})
     */
    private String checkBinding(HttpServletRequest req, HttpServletResponse resp, BearerTokenExtractor.Result found, AccessToken token)
            throws IOException {
        String jkt = token.dpopJkt();
        if (!found.dpopScheme()) {
            if (jkt != null) {
                LOG.debug("bearer token refused: DPoP-bound token sent as Bearer");
                challenges.invalidToken(req, resp, "the token is DPoP-bound; send it with the DPoP scheme and a proof");
                return ResourceMetrics.DPOP_REQUIRED;
            }
            if (settings.dpop().mode() == DpopMode.REQUIRED) {
                challenges.dpopRefused(req, resp, ErrorCode.INVALID_TOKEN, "this resource takes DPoP-bound tokens only", null);
                return ResourceMetrics.DPOP_REQUIRED;
            }
            return null;
        }
        List<String> proofs = Collections.list(req.getHeaders("DPoP"));
        if (proofs.size() != 1) {
            challenges.dpopRefused(req, resp, ErrorCode.INVALID_DPOP_PROOF,
                    proofs.isEmpty() ? "the DPoP scheme needs a DPoP proof header" : "more than one DPoP header", null);
            return ResourceMetrics.DPOP_PROOF_INVALID;
        }
        if (jkt == null) {
            challenges.dpopRefused(req, resp, ErrorCode.INVALID_TOKEN, "the token is not DPoP-bound; send it as Bearer", null);
            return ResourceMetrics.DPOP_NOT_BOUND;
        }
        try {
            DpopProof proof = dpop.verify(proofs.get(0), req.getMethod(), proofUrls(req), found.token());
            if (!jkt.equals(proof.jkt())) {
                challenges.dpopRefused(req, resp, ErrorCode.INVALID_DPOP_PROOF, "the DPoP proof is signed by another key than the token's", null);
                return ResourceMetrics.DPOP_PROOF_INVALID;
            }
        } catch (DpopException e) {
            LOG.debug("DPoP proof refused: {}", e.getMessage());
            if (e.useNonce()) {
                challenges.dpopRefused(req, resp, ErrorCode.USE_DPOP_NONCE, e.getMessage(), dpop.nonces().current());
            } else {
                challenges.dpopRefused(req, resp, ErrorCode.INVALID_DPOP_PROOF, e.getMessage(), null);
            }
            return ResourceMetrics.DPOP_PROOF_INVALID;
        }
        return null;
    }

    /**
     * The URLs a proof's {@code htu} may name: the configured {@code public-url} with this request's
     * path — and only that, so a proxy's rewriting cannot matter —, else the request URL as received
     * and, co-located, the issuer's origin with this path.
     */
    private List<URI> proofUrls(HttpServletRequest req) {
        List<URI> urls = new ArrayList<>(2);
        try {
            if (publicOrigin != null) {
                urls.add(new URI(publicOrigin + req.getRequestURI()));
                return urls;
            }
            urls.add(new URI(req.getRequestURL().toString()));
            if (issuerOrigin != null) {
                urls.add(new URI(issuerOrigin + req.getRequestURI()));
            }
        } catch (URISyntaxException e) {
            // A request URI that does not parse matches no htu: the proof is refused.
        }
        return urls;
    }

    private static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /** The scopes this request needs that the token lacks: the filter-wide ones, then those of matching path rules. */
    private Set<String> missingScopes(HttpServletRequest req, AccessToken token) {
        Set<String> needed = settings.scopes();
        Set<String> byPath = settings.pathScopes().required(req.getMethod(), contextRelativePath(req));
        if (!byPath.isEmpty()) {
            needed = new java.util.LinkedHashSet<>(needed);
            needed.addAll(byPath);
        }
        if (token.scopes().containsAll(needed)) {
            return Set.of();
        }
        Set<String> missing = new java.util.TreeSet<>(needed);
        missing.removeAll(token.scopes());
        return missing;
    }

    private static String contextRelativePath(HttpServletRequest req) {
        String path = req.getServletPath();
        return req.getPathInfo() == null ? path : path + req.getPathInfo();
    }
}
