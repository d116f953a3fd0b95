package dev.oauthlet.example.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A command line that only serves is read without picocli; every other one gets the whole grammar. */
class CliServeParseTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Cli.Parsed parse(String... args) {
        return Cli.parse(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void serveOnlyWhenOnlyServingOptionsThenTheyAreReadWithoutPicocli() {
        Cli.ServeOptions o = Cli.serveOnly(new String[] {"--config", "a.yml", "--port=0", "--host", "::1"}).orElseThrow();
        assertEquals(Path.of("a.yml"), o.config);
        assertEquals(0, o.port);
        assertEquals("::1", o.host);
        Cli.ServeOptions defaults = Cli.serveOnly(new String[] {}).orElseThrow();
        assertNull(defaults.config, "the README's run command has no arguments: the demo configuration");
        assertEquals(8080, defaults.port);
        assertEquals("127.0.0.1", defaults.host);
    }

    @Test
    void serveOnlyWhenAnythingElseThenEmptyForTheWholeGrammar() {
        for (String[] args : new String[][] {{"--port"}, {"--port", "x"}, {"--port", "65536"}, {"--port", "-1"}, {"--port", "1", "--port", "2"},
            {"--config", "--port", "1"}, {"--help"}, {"--hash-secret"}, {"serve"}, {"keys", "list"}, {"--config", "a\0b"}}) {
            assertTrue(Cli.serveOnly(args).isEmpty(), () -> String.join(" ", args));
        }
    }

    @Test
    void parseWhenServeThenTheWholeGrammar() {
        Cli.Parsed serve = parse("serve", "--port", "0");
        assertEquals(0, serve.serveOptions().port);
        assertTrue(serve.root().getSubcommands().keySet().containsAll(java.util.List.of("serve", "clients", "users", "keys", "tokens")));
        assertTrue(parse("clients", "list").isAdmin());
    }

    @Test
    void parseWhenServingOptionHasABadValueThenTheUsageErrorListsTheCommands() {
        Cli.Parsed p = parse("--port", "x");
        assertEquals(Cli.USAGE, p.exitNow());
        assertTrue(err.toString().contains("'x' is not a port number"), err.toString());
        assertTrue(err.toString().contains("clients"), "the usage names the administration commands: " + err);
    }

    @Test
    void parseWhenAServingOptionIsRepeatedThenAUsageError() {
        assertEquals(Cli.USAGE, parse("--port", "1", "--port", "2").exitNow(), err::toString);
    }
}
