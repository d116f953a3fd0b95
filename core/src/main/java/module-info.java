/**
 * Oauthlet's authorization server, token verifier and storage, without a servlet API. The exported
 * packages are the API (see docs/architecture.md for their layers); {@code dev.oauthlet.internal}
 * and its sub-packages are not exported. The built-in grants and stores are also listed in
 * {@code META-INF/services}, so the jar works on the class path too.
 */
module dev.oauthlet.core {
    // jjwt 0.13 names no module: on the module path its jars are automatic modules named after the files.
    // Transitive: SigningAlgorithm.jws() hands out its algorithm type.
    requires transitive jjwt.api;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires com.zaxxer.hikari;
    requires java.naming;
    requires java.net.http;
    requires java.sql;
    requires org.slf4j;
    // Optional: only dev.oauthlet.metrics.micrometer uses Micrometer, and nothing loads it unless the application does.
    requires static micrometer.core;

    exports dev.oauthlet;
    exports dev.oauthlet.admin;
    exports dev.oauthlet.audit;
    exports dev.oauthlet.authorize;
    exports dev.oauthlet.client;
    exports dev.oauthlet.config;
    exports dev.oauthlet.crypto;
    exports dev.oauthlet.dpop;
    exports dev.oauthlet.error;
    exports dev.oauthlet.grant;
    exports dev.oauthlet.key;
    exports dev.oauthlet.metrics;
    exports dev.oauthlet.metrics.micrometer;
    exports dev.oauthlet.protocol;
    exports dev.oauthlet.spi;
    exports dev.oauthlet.token;
    exports dev.oauthlet.user;

    uses dev.oauthlet.audit.AuditListener;
    uses dev.oauthlet.authorize.HostLogin;
    uses dev.oauthlet.authorize.SecondFactor;
    uses dev.oauthlet.grant.GrantFactory;
    uses dev.oauthlet.grant.GrantHandler;
    uses dev.oauthlet.spi.StorageProvider;
    uses dev.oauthlet.token.TokenCustomizer;
    uses dev.oauthlet.user.UserInfoSource;

    provides dev.oauthlet.spi.StorageProvider with
            dev.oauthlet.internal.memory.MemoryStorageProvider,
            dev.oauthlet.internal.jdbc.JdbcStorageProvider;
}
