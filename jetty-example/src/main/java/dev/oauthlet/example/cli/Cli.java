package dev.oauthlet.example.cli;

import dev.oauthlet.admin.AdminException;
import dev.oauthlet.admin.Administration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line's grammar: {@code serve} (also with no subcommand), {@code --hash-secret}, and
 * the administration subcommands of {@link AdminCommands}. Parsing and running an administration
 * command is the same code in the command line's own process and in a running server that
 * receives it over its admin endpoint, so both print the same and exit alike: 0 on success, 1 on
 * failure (unknown client, duplicate id, declared in the file), 2 on a usage error.
 */
@Command(name = "java -jar jetty-example.jar", sortOptions = false,
        description = {"Runs the Oauthlet example server (the default, or 'serve'), or administers its store.",
            "With a server running on the same H2 file, administration commands go to that server."})
public final class Cli implements Callable<Integer>, AdminCommands.SessionHolder {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @CommandLine.Mixin
    ServeOptions serve = new ServeOptions();
    @CommandLine.Mixin
    AdminCommands.Help help;

    @Option(names = "--hash-secret", description = "read a secret on standard input, print its hash for secret-hash / password-hash")
    boolean hashSecret;

    private AdminCommands.AdminSession session;

    /** {@code true} when {@code --hash-secret} was given. */
    public boolean hashSecret() {
        return hashSecret;
    }

    @Override
    public AdminCommands.AdminSession session() {
        return session;
    }

    @Override
    public Integer call() {
        // Never called: the launcher decides between serving, hashing and administration.
        return OK;
    }

    /** The options of serving, on the root command (the README's run command) and on {@code serve}. */
    public static final class ServeOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "an oauthlet.yml (default: the bundled demo configuration)")
        public Path config;
        @Option(names = "--port", paramLabel = "N", converter = PortConverter.class, description = "the port to listen on (default 8080; 0 picks a free port)")
        public int port = 8080;
        @Option(names = "--host", paramLabel = "ADDRESS", description = "the address to bind (default 127.0.0.1)")
        public String host = "127.0.0.1";
    }

    @Command(name = "serve", description = "Runs the server (what no subcommand does too).")
    public static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        public ServeOptions options = new ServeOptions();
        @CommandLine.Mixin
        AdminCommands.Help help;

        @Override
        public Integer call() {
            return OK;
        }
    }

    static final class PortConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port = port(value);
            if (port < 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a port number (0 to 65535; 0 picks a free one)");
            }
            return port;
        }
    }

    /** {@code value} as a port number (0 to 65535), or -1 when it is none. */
    static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            return port >= 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    /** A parsed command line: what to do, or the exit status a usage error or help already decided. */
    public record Parsed(CommandLine root, CommandLine leaf, Integer exitNow) {

        public boolean isAdmin() {
            return leaf.getCommand() instanceof AdminCommands.Leaf;
        }

        public Cli cli() {
            return (Cli) root.getCommand();
        }

        /** The configuration file the command names ({@code --config} before or after the subcommand), or {@code null}. */
        public Path config() {
            if (leaf.getCommand() instanceof AdminCommands.Leaf l && l.common.config != null) {
                return l.common.config;
            }
            if (leaf.getCommand() instanceof Serve s && s.options.config != null) {
                return s.options.config;
            }
            return cli().serve.config;
        }

        public ServeOptions serveOptions() {
            ServeOptions o = leaf.getCommand() instanceof Serve s ? s.options : cli().serve;
            if (o.config == null) {
                o.config = cli().serve.config;
            }
            return o;
        }

        public boolean needsPassword() {
            return AdminCommands.needsPassword(leaf.getCommand());
        }
    }

    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(Serve.class, AdminCommands.Clients.class, AdminCommands.Users.class,
            AdminCommands.Keys.class, AdminCommands.Tokens.class);

    /**
     * The serving options of a command line that only serves (the README's run command: no
     * arguments, or only {@code --config}, {@code --port}, {@code --host}, each once and with a
     * valid value, as {@code --port 8080} or {@code --port=8080}), read without picocli; empty
     * for any other command line, which {@link #parse} then reads with the whole grammar, usage
     * errors included.
     *
     * <p>picocli is compiled for Java 5: class-data sharing cannot archive its classes, so the JVM
     * loads and verifies some 170 of them from the jar, with the old type-inferring verifier, and
     * then builds each command's model by reflection. That was a quarter of a second of the
     * start's critical path (async-profiler on this 2-core machine) for a command line of three
     * options; administration commands, rare and short, still pay it.
     */
    public static java.util.Optional<ServeOptions> serveOnly(String[] args) {
        ServeOptions o = new ServeOptions();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return java.util.Optional.empty();
            }
            if (!seen.add(name)) {
                return java.util.Optional.empty();
            }
            switch (name) {
                case "--config" -> {
                    try {
                        o.config = Path.of(value);
                    } catch (java.nio.file.InvalidPathException e) {
                        return java.util.Optional.empty();
                    }
                }
                case "--host" -> o.host = value;
                case "--port" -> {
                    o.port = port(value);
                    if (o.port < 0) {
                        return java.util.Optional.empty();
                    }
                }
                default -> {
                    return java.util.Optional.empty();
                }
            }
        }
        return java.util.Optional.of(o);
    }

    /** Parses {@code args} with the whole grammar; prints help (exit 0) or the usage error with the command's usage (exit 2) to {@code out}/{@code err}. */
    public static Parsed parse(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine root = new CommandLine(new Cli());
        for (Class<?> sub : SUBCOMMANDS) {
            root.addSubcommand(sub);
        }
        root.setOut(out);
        root.setErr(err);
        try {
            CommandLine.ParseResult result = root.parseArgs(args);
            if (CommandLine.printHelpIfRequested(result)) {
                return new Parsed(root, root, OK);
            }
            List<CommandLine> chain = result.asCommandLineList();
            CommandLine leaf = chain.get(chain.size() - 1);
            Object command = leaf.getCommand();
            if (command instanceof Runnable group) {
                group.run();
            }
            if (leaf != root && ((Cli) root.getCommand()).hashSecret) {
                throw new CommandLine.ParameterException(leaf, "--hash-secret takes no subcommand");
            }
            return new Parsed(root, leaf, null);
        } catch (CommandLine.ParameterException e) {
            err.println(e.getMessage());
            err.println();
            e.getCommandLine().usage(err);
            err.flush();
            return new Parsed(root, e.getCommandLine(), USAGE);
        }
    }

    /**
     * Runs an administration command against {@code administration}: the exit status, with its
     * output on {@code out} and any failure on {@code err}.
     */
    public static int runAdmin(Parsed parsed, Administration administration, String password, PrintWriter out, PrintWriter err) {
        if (!parsed.isAdmin()) {
            throw new IllegalArgumentException("not an administration command");
        }
        parsed.cli().session = new AdminCommands.AdminSession() {
            @Override
            public Administration administration() {
                return administration;
            }

            @Override
            public PrintWriter out() {
                return out;
            }

            @Override
            public String password() {
                return password;
            }
        };
        try {
            return ((AdminCommands.Leaf) parsed.leaf().getCommand()).call();
        } catch (AdminException e) {
            out.flush();
            err.println(e.getMessage());
            err.flush();
            return e.reason() == AdminException.Reason.INVALID ? USAGE : FAILED;
        } catch (Exception e) {
            out.flush();
            err.println("failed: " + e.getMessage());
            err.flush();
            return FAILED;
        }
    }
}
