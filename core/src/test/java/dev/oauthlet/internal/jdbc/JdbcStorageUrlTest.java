package dev.oauthlet.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JdbcStorageUrlTest {

    @Test
    void jdbcUrlWhenEmbeddedH2ThenItsShutdownHookIsTurnedOff() {
        assertEquals("jdbc:h2:file:./data/oauthlet;DB_CLOSE_ON_EXIT=FALSE", JdbcStorage.jdbcUrl("jdbc:h2:file:./data/oauthlet"));
        assertEquals("jdbc:h2:./x;MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE", JdbcStorage.jdbcUrl("jdbc:h2:./x;MODE=PostgreSQL"));
    }

    @Test
    void jdbcUrlWhenSetByTheOperatorOrNotEmbeddedH2ThenUnchanged() {
        assertEquals("jdbc:h2:file:./x;db_close_on_exit=true", JdbcStorage.jdbcUrl("jdbc:h2:file:./x;db_close_on_exit=true"));
        assertEquals("jdbc:h2:tcp://localhost/./x", JdbcStorage.jdbcUrl("jdbc:h2:tcp://localhost/./x"));
        assertEquals("jdbc:postgresql://db/oauthlet", JdbcStorage.jdbcUrl("jdbc:postgresql://db/oauthlet"));
    }
}
