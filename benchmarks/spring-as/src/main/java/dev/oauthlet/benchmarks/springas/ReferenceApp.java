package dev.oauthlet.benchmarks.springas;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reference Spring Authorization Server for {@code benchmarks/run.sh}: RS256 tokens, everything
 * in memory, {@code /open} (no security) and {@code /protected} (a JWT resource server over the
 * same key, which takes DPoP-bound tokens with the DPoP scheme as well) answering the same few bytes
 * of JSON, and two {@code client_credentials} clients with
 * the secret {@code bench-secret}:
 *
 * <ul>
 *   <li>{@code bench-client}: the secret stored as {@code {noop}bench-secret}, so it is checked as
 *       plain text. The like-for-like comparison: Oauthlet confirms a known secret with one HMAC.</li>
 *   <li>{@code stock-client}: the secret stored bcrypt-hashed, as Spring Security's stock
 *       {@code DelegatingPasswordEncoder} writes it, so each request runs bcrypt, as a Spring AS
 *       application does out of the box.</li>
 * </ul>
 *
 * <p>The encoder is the stock {@code DelegatingPasswordEncoder} with secret upgrading turned off:
 * otherwise the first request of {@code bench-client} would re-hash its secret with bcrypt
 * (Spring AS upgrades a secret whose encoding is not the default one). A bcrypt secret is never
 * upgraded, so for {@code stock-client} this changes nothing.
 */
@SpringBootApplication
@RestController
public class ReferenceApp {

    static final String SECRET = "bench-secret";

    public static void main(String[] args) {
        SpringApplication.run(ReferenceApp.class, args);
    }

    @GetMapping("/open")
    public Map<String, Boolean> open() {
        return Map.of("ok", true);
    }

    @GetMapping("/protected")
    public Map<String, Boolean> protectedResource() {
        return Map.of("ok", true);
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        OAuth2AuthorizationServerConfigurer as = new OAuth2AuthorizationServerConfigurer();
        http.securityMatcher(as.getEndpointsMatcher())
                .with(as, Customizer.withDefaults())
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .csrf(c -> c.ignoringRequestMatchers(as.getEndpointsMatcher()));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain resources(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.requestMatchers("/open").permitAll().anyRequest().authenticated())
                // DPoP-bound tokens (RFC 9449) with the DPoP scheme too, for run.sh's DPoP scenario; Bearer requests are untouched.
                .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults()).dPoP(Customizer.withDefaults()))
                .csrf(c -> c.disable());
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        PasswordEncoder stock = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return stock.encode(raw);
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                return stock.matches(raw, encoded);
            }

            @Override
            public boolean upgradeEncoding(String encoded) {
                return false;
            }
        };
    }

    @Bean
    RegisteredClientRepository clients(PasswordEncoder encoder) {
        return new InMemoryRegisteredClientRepository(client("bench-client", "{noop}" + SECRET), client("stock-client", encoder.encode(SECRET)));
    }

    private static RegisteredClient client(String id, String storedSecret) {
        return RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(id)
                .clientSecret(storedSecret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("orders:read")
                .scope("orders:write")
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofHours(1)).build())
                .build();
    }

    @Bean
    JWKSource<SecurityContext> jwkSource() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(UUID.randomUUID().toString()).build();
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder().build();
    }
}
