/** Oauthlet's servlets, Bearer filter and web.xml listener over {@code dev.oauthlet.core}. */
module dev.oauthlet.servlet {
    requires transitive dev.oauthlet.core;
    requires transitive jakarta.servlet;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.oauthlet.servlet;
}
