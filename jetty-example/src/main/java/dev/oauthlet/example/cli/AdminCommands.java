package dev.oauthlet.example.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.oauthlet.admin.AdminException;
import dev.oauthlet.admin.Administration;
import dev.oauthlet.admin.CreatedClient;
import dev.oauthlet.admin.KeyInfo;
import dev.oauthlet.admin.NewClient;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.ClientSecret;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.config.Durations;
import dev.oauthlet.user.Tenant;
import dev.oauthlet.user.UserAccount;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The administration subcommands: {@code clients}, {@code users}, {@code keys}, {@code tokens}.
 * Each runs against an {@link Administration} that {@link AdminSession} supplies — the store
 * opened in this process, or, when a server runs on it, that server's own (over its loopback
 * admin endpoint). Output never holds a secret's hash or a password; the only secret printed is
 * the one just generated, on its own {@code secret: ...} line.
 */
public final class AdminCommands {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AdminCommands() {
    }

    /** What every admin command runs with: where its output goes and what it acts on. */
    public interface AdminSession {
        Administration administration();

        PrintWriter out();

        /** The password the command line read before the command ran, for {@code users add} and {@code users passwd}. */
        String password();
    }

    /** The part of each leaf command that reaches its session. */
    abstract static class Leaf implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        Help help;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        AdminSession session() {
            return ((SessionHolder) spec.root().userObject()).session();
        }

        PrintWriter out() {
            return session().out();
        }

        Administration admin() {
            return session().administration();
        }

        @Override
        public final Integer call() throws Exception {
            run();
            out().flush();
            return 0;
        }

        abstract void run() throws Exception;
    }

    /** The root command holds the session, so every subcommand reaches it through {@code spec.root()}. */
    public interface SessionHolder {
        AdminSession session();
    }

    /** {@code --config} on every command, so it can follow the subcommand too. */
    public static final class CommonOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "an oauthlet.yml; selects the store (default: the bundled demo configuration)")
        public java.nio.file.Path config;
    }

    /** {@code -h}/{@code --help} on every command. */
    public static final class Help {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
    }

    static void printJson(PrintWriter out, Object value) throws Exception {
        out.println(JSON.writeValueAsString(value));
    }

    /** A command that only groups subcommands: run alone, it is a usage error naming them. */
    abstract static class Group implements Runnable {
        @Mixin
        Help help;
        @Mixin
        CommonOptions common;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: " + String.join(", ", spec.subcommands().keySet()));
        }
    }

    // ---- clients

    @Command(name = "clients", description = "Add, list, show, rotate the secret of, or remove clients.",
            subcommands = {ClientsAdd.class, ClientsList.class, ClientsShow.class, ClientsRotateSecret.class, ClientsRemove.class})
    public static final class Clients extends Group {
    }

    @Command(name = "add", description = {
        "Adds a client. A confidential client gets a generated secret, printed once on a line 'secret: ...'; only its hash is stored."})
    static final class ClientsAdd extends Leaf {
        @Option(names = "--id", required = true, description = "the client_id")
        String id;
        @Option(names = "--grants", required = true, split = ",", paramLabel = "G", description = "the grants it may use")
        List<String> grants;
        @Option(names = "--audience", paramLabel = "A", description = "the aud of its tokens (default: the only audience)")
        String audience;
        @Option(names = "--scopes", split = ",", paramLabel = "S", description = "the scopes it may request")
        List<String> scopes = new ArrayList<>();
        @Option(names = "--redirect-uri", paramLabel = "U", description = "a redirect URI (repeatable)")
        List<String> redirectUris = new ArrayList<>();
        @Option(names = "--public", description = "a public client: no secret, PKCE")
        boolean publicClient;
        @Option(names = "--rotation", paramLabel = "rotate|keep", converter = RotationConverter.class,
                description = "refresh-token rotation (default: tokens.refresh-token-rotation)")
        RefreshRotation rotation;
        @Option(names = "--access-token-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "access-token lifetime, e.g. 15m or 1h (default: tokens.access-token-ttl)")
        Duration accessTokenTtl;
        @Option(names = "--name", description = "display name on the consent page (default: the id)")
        String name;
        @Option(names = "--auth-method", paramLabel = "M", converter = AuthMethodConverter.class,
                description = "token-endpoint-auth-method: client_secret_basic, client_secret_post or client_secret_jwt (the secret "
                        + "kept encrypted under signing.key-encryption-key; default: Basic or body)")
        ClientAuthMethod authMethod;

        @Override
        void run() {
            CreatedClient created = admin().addClient(new NewClient(id, name, publicClient, new LinkedHashSet<>(grants), audience,
                    scopes, redirectUris, rotation, accessTokenTtl, authMethod));
            out().println("added client " + created.client().id());
            if (created.secret() != null) {
                out().println("secret: " + created.secret());
            }
        }
    }

    @Command(name = "list", description = "Lists the clients, without secrets.")
    static final class ClientsList extends Leaf {
        @Option(names = "--json", description = "JSON instead of a table")
        boolean json;

        @Override
        void run() throws Exception {
            List<ClientRegistration> clients = admin().clients();
            if (json) {
                printJson(out(), clients.stream().map(AdminCommands::clientJson).toList());
                return;
            }
            Table t = new Table("ID", "ORIGIN", "TYPE", "GRANTS", "AUDIENCE", "SCOPES", "SECRETS");
            for (ClientRegistration c : clients) {
                t.row(c.id(), c.origin().name().toLowerCase(java.util.Locale.ROOT), c.publicClient() ? "public" : "confidential",
                        String.join(",", c.grants().stream().sorted().toList()), c.audience(), String.join(",", c.scopes()),
                        Integer.toString(c.secrets().size()));
            }
            t.print(out());
        }
    }

    @Command(name = "show", description = "Shows one client, without its secrets' hashes.")
    static final class ClientsShow extends Leaf {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--json", description = "JSON instead of text")
        boolean json;

        @Override
        void run() throws Exception {
            ClientRegistration c = admin().client(id)
                    .orElseThrow(() -> new AdminException(AdminException.Reason.NOT_FOUND, "no client '" + id + "'"));
            Map<String, Object> j = clientJson(c);
            if (json) {
                printJson(out(), j);
                return;
            }
            for (Map.Entry<String, Object> e : j.entrySet()) {
                out().println(e.getKey() + ": " + text(e.getValue()));
            }
        }

        private static String text(Object v) {
            if (v instanceof List<?> l) {
                return String.join(" ", l.stream().map(AdminCommands.ClientsShow::text).toList());
            }
            if (v instanceof Map<?, ?> m) {
                return m.get("expires_at") == null ? "(no expiry)" : "(expires " + m.get("expires_at") + ")";
            }
            return String.valueOf(v);
        }
    }

    @Command(name = "rotate-secret", description = {
        "Gives a confidential client a new generated secret, printed once on a line 'secret: ...'.",
        "Its previous secrets keep working for the overlap, then stop."})
    static final class ClientsRotateSecret extends Leaf {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--overlap", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
                description = "how long the previous secrets keep working, e.g. 24h (default: ${DEFAULT-VALUE}, they stop at once)")
        Duration overlap;

        @Override
        void run() {
            String secret = admin().rotateSecret(id, overlap);
            out().println("rotated the secret of client " + id + (overlap.isZero() ? "; the previous secrets no longer work"
                    : "; the previous secrets work until " + Instant.now().plus(overlap).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
            out().println("secret: " + secret);
        }
    }

    @Command(name = "remove", description = "Removes a client and revokes its refresh tokens.")
    static final class ClientsRemove extends Leaf {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run() {
            int revoked = admin().removeClient(id);
            out().println("removed client " + id + "; revoked " + revoked + " refresh token" + (revoked == 1 ? "" : "s"));
        }
    }

    static Map<String, Object> clientJson(ClientRegistration c) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("client_id", c.id());
        j.put("name", c.name());
        j.put("origin", c.origin().name().toLowerCase(java.util.Locale.ROOT));
        j.put("public", c.publicClient());
        j.put("grants", c.grants().stream().sorted().toList());
        j.put("audience", c.audience());
        j.put("scopes", List.copyOf(c.scopes()));
        j.put("redirect_uris", c.redirectUris());
        if (c.tokens().accessTokenTtl() != null) {
            j.put("access_token_ttl", c.tokens().accessTokenTtl().toString());
        }
        if (c.tokens().refreshRotation() != null) {
            j.put("refresh_rotation", c.tokens().refreshRotation().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<Map<String, Object>> secrets = new ArrayList<>();
        for (ClientSecret s : c.secrets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("expires_at", s.expiresAt() == null ? null : s.expiresAt().toString());
            secrets.add(m);
        }
        j.put("secrets", secrets);
        return j;
    }

    // ---- users

    @Command(name = "users", description = "Add, list, change the password of, or remove users of the built-in store.",
            subcommands = {UsersAdd.class, UsersList.class, UsersPasswd.class, UsersRemove.class})
    public static final class Users extends Group {
    }

    /** The commands that need a password, which the command line reads before they run. */
    public static boolean needsPassword(Object command) {
        return command instanceof UsersAdd || command instanceof UsersPasswd;
    }

    @Command(name = "add", description = {
        "Adds a user. The password is read from the terminal without echo, or from standard input when that is not a terminal."})
    static final class UsersAdd extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--tenant", paramLabel = "TYPE:ID", converter = TenantConverter.class, description = "a tenant (repeatable)")
        List<Tenant> tenants = new ArrayList<>();
        @Option(names = "--claim", paramLabel = "NAME=VALUE", description = "a claim of the user's tokens (repeatable)")
        Map<String, String> claims = new LinkedHashMap<>();

        @Override
        void run() {
            admin().addUser(name, session().password(), tenants, claims);
            out().println("added user " + name);
        }
    }

    @Command(name = "list", description = "Lists the users, without passwords.")
    static final class UsersList extends Leaf {
        @Option(names = "--json", description = "JSON instead of a table")
        boolean json;

        @Override
        void run() throws Exception {
            List<UserAccount> users = admin().users();
            Function<UserAccount, String> tenants = u -> String.join(",", u.tenants().stream().map(t -> t.type() + ":" + t.id()).toList());
            if (json) {
                List<Map<String, Object>> list = new ArrayList<>();
                for (UserAccount u : users) {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("username", u.username());
                    j.put("origin", u.origin().name().toLowerCase(java.util.Locale.ROOT));
                    j.put("tenants", u.tenants().stream().map(t -> Map.of("type", t.type(), "id", t.id())).toList());
                    j.put("claims", new java.util.TreeMap<>(u.claims()));
                    list.add(j);
                }
                printJson(out(), list);
                return;
            }
            Table t = new Table("USERNAME", "ORIGIN", "TENANTS", "CLAIMS");
            for (UserAccount u : users) {
                t.row(u.username(), u.origin().name().toLowerCase(java.util.Locale.ROOT), tenants.apply(u),
                        String.join(",", new java.util.TreeSet<>(u.claims().keySet())));
            }
            t.print(out());
        }
    }

    @Command(name = "passwd", description = {
        "Sets a user's password, read like 'users add' reads it."})
    static final class UsersPasswd extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run() {
            admin().changePassword(name, session().password());
            out().println("changed the password of user " + name);
        }
    }

    @Command(name = "remove", description = "Removes a user and revokes its refresh tokens.")
    static final class UsersRemove extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run() {
            int revoked = admin().removeUser(name);
            out().println("removed user " + name + "; revoked " + revoked + " refresh token" + (revoked == 1 ? "" : "s"));
        }
    }

    // ---- keys

    @Command(name = "keys", description = "List or rotate the signing keys.",
            subcommands = {KeysList.class, KeysRotate.class})
    public static final class Keys extends Group {
    }

    @Command(name = "list", description = "Lists the signing keys: kid, algorithm, created, state.")
    static final class KeysList extends Leaf {
        @Option(names = "--json", description = "JSON instead of a table")
        boolean json;

        @Override
        void run() throws Exception {
            List<KeyInfo> keys = admin().keys();
            if (json) {
                List<Map<String, Object>> list = new ArrayList<>();
                for (KeyInfo k : keys) {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("kid", k.kid());
                    j.put("algorithm", k.algorithm());
                    j.put("created", k.createdAt().toString());
                    j.put("state", k.state().label());
                    j.put("published_until", k.publishedUntil() == null ? null : k.publishedUntil().toString());
                    list.add(j);
                }
                printJson(out(), list);
                return;
            }
            Table t = new Table("KID", "ALGORITHM", "CREATED", "STATE");
            for (KeyInfo k : keys) {
                t.row(k.kid(), k.algorithm(), k.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), k.state().label());
            }
            t.print(out());
        }
    }

    @Command(name = "rotate", description = {
        "A new key signs from now on; the previous one keeps verifying until its tokens have expired."})
    static final class KeysRotate extends Leaf {
        @Override
        void run() {
            out().println("rotated the signing key; new kid " + admin().rotateKey());
        }
    }

    // ---- tokens

    @Command(name = "tokens", description = "Revoke tokens.", subcommands = TokensRevoke.class)
    public static final class Tokens extends Group {
    }

    @Command(name = "revoke", description = {
        "Revokes every refresh token of a client or of a user. Access tokens already issued stay valid until they expire."})
    static final class TokensRevoke extends Leaf {
        @CommandLine.ArgGroup(multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--client", paramLabel = "ID", required = true)
            String client;
            @Option(names = "--user", paramLabel = "NAME", required = true)
            String user;
        }

        @Override
        void run() {
            int revoked = target.client != null ? admin().revokeClientTokens(target.client) : admin().revokeUserTokens(target.user);
            out().println("revoked " + revoked + " refresh token" + (revoked == 1 ? "" : "s") + " of "
                    + (target.client != null ? "client " + target.client : "user " + target.user));
        }
    }

    // ---- converters

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 15m, 1h, 90d)");
            }
        }
    }

    static final class RotationConverter implements CommandLine.ITypeConverter<RefreshRotation> {
        @Override
        public RefreshRotation convert(String value) {
            return switch (value) {
                case "rotate" -> RefreshRotation.ROTATE;
                case "keep" -> RefreshRotation.KEEP;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is neither rotate nor keep");
            };
        }
    }

    /** The methods a client of the command line may use: a generated secret, in Basic, the body, or as the HMAC key of an assertion. */
    static final class AuthMethodConverter implements CommandLine.ITypeConverter<ClientAuthMethod> {
        @Override
        public ClientAuthMethod convert(String value) {
            ClientAuthMethod m = ClientAuthMethod.fromWire(value);
            if (m != ClientAuthMethod.CLIENT_SECRET_BASIC && m != ClientAuthMethod.CLIENT_SECRET_POST
                    && m != ClientAuthMethod.CLIENT_SECRET_JWT) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not client_secret_basic, client_secret_post or "
                        + "client_secret_jwt");
            }
            return m;
        }
    }

    static final class TenantConverter implements CommandLine.ITypeConverter<Tenant> {
        @Override
        public Tenant convert(String value) {
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not TYPE:ID (e.g. merchant:someMerchant)");
            }
            return new Tenant(value.substring(0, colon), value.substring(colon + 1));
        }
    }
}
