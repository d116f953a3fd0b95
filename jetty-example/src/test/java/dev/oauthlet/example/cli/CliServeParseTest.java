package dev.oauthlet.example.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A command line that only serves is parsed without the administration grammar; every other one gets all of it. */
class CliServeParseTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Cli.Parsed parse(String... args) {
        return Cli.parse(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void parseWhenOnlyServingOptionsThenNoSubcommandModelIsBuiltAndTheOptionsAreRead() {
        Cli.Parsed p = parse("--config", "a.yml", "--port=0", "--host", "::1");
        assertNull(p.exitNow());
        assertTrue(p.root().getSubcommands().isEmpty(), "serving needs no administration grammar");
        assertFalse(p.isAdmin());
        assertEquals(Path.of("a.yml"), p.serveOptions().config);
        assertEquals(0, p.serveOptions().port);
        assertEquals("::1", p.serveOptions().host);
        assertTrue(parse().root().getSubcommands().isEmpty(), "the README's run command has no arguments");
    }

    @Test
    void parseWhenAnythingElseThenTheWholeGrammar() {
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
    void onlyServesWhenAnOptionLacksItsValueOrIsUnknownThenFalse() {
        assertTrue(Cli.onlyServes(new String[] {}));
        assertTrue(Cli.onlyServes(new String[] {"--port", "1", "--config=x"}));
        assertFalse(Cli.onlyServes(new String[] {"--port"}));
        assertFalse(Cli.onlyServes(new String[] {"--help"}));
        assertFalse(Cli.onlyServes(new String[] {"--hash-secret"}));
        assertFalse(Cli.onlyServes(new String[] {"keys", "list"}));
    }
}
