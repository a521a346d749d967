package graphmind.neo4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.common.DependencyResolver;
import org.neo4j.kernel.availability.AvailabilityRequirement;
import org.neo4j.kernel.availability.DatabaseAvailabilityGuard;
import org.neo4j.kernel.availability.DescriptiveAvailabilityRequirement;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A Neo4j 5 Community server for GraphMind's tests: Bolt on a loopback port, authentication
 * on (user neo4j, a generated password kept owner-only in DIR/password), data in DIR.
 *
 * <p>Usage: {@code java -Xmx512m -cp CLASSPATH graphmind.neo4j.Launcher DIR [PORT]}. When it is
 * ready it writes DIR/neo4j.json (port, pid) and prints one line with the Bolt URI. Lines on
 * standard input steer it for the failure tests: {@code read-only}, {@code read-write},
 * {@code starting} (the database refuses work as while it starts), {@code started}, {@code quit}; each is answered with
 * {@code ok COMMAND} (or {@code error COMMAND: reason}) on standard output.
 */
public final class Launcher {
    static final String USER = "neo4j";
    static final String DATABASE = GraphDatabaseSettings.DEFAULT_DATABASE_NAME;
    static final AvailabilityRequirement STARTING = new DescriptiveAvailabilityRequirement("starting (GraphMind tests)");

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Launcher DATA_DIR [BOLT_PORT]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        int port = args.length == 2 ? Integer.parseInt(args[1]) : freePort();
        Path passwordFile = dir.resolve("password");
        boolean fresh = !Files.exists(passwordFile);
        String password = fresh ? newPassword() : Files.readString(passwordFile).strip();
        Files.deleteIfExists(dir.resolve("neo4j.json"));

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(dir.resolve("home"))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(5))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown));
        if (fresh) { // the default user starts with password "neo4j", to be changed: set ours
            service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
            writeOwnerOnly(passwordFile, password); // only once it is the password: a failed start leaves none
        }
        DependencyResolver resolver = ((GraphDatabaseAPI) service.database(DATABASE)).getDependencyResolver();
        Config config = resolver.resolveDependency(Config.class);
        // what Neo4j itself holds while a database starts: transactions are refused as unavailable
        DatabaseAvailabilityGuard guard = resolver.resolveDependency(DatabaseAvailabilityGuard.class);
        String version = org.neo4j.kernel.internal.Version.getNeo4jVersion();
        writeOwnerOnly(dir.resolve("neo4j.json"), String.format(
                "{\"pid\": %d, \"bolt_port\": %d, \"user\": \"%s\", \"database\": \"%s\", \"version\": \"%s\"}%n",
                ProcessHandle.current().pid(), port, USER, DATABASE, version));
        System.out.printf("Neo4j %s ready on bolt://127.0.0.1:%d (user %s, password in %s, data in %s)%n",
                version, port, USER, passwordFile, dir);
        System.out.printf("use it: GRAPHMIND_URI=bolt://127.0.0.1:%d GRAPHMIND_USER=%s GRAPHMIND_PASSWORD=\"$(cat %s)\" "
                + ".venv/bin/graphmind ingest examples/%n", port, USER, passwordFile);
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.strip();
            if (command.isEmpty()) {
                continue;
            }
            try {
                switch (command) {
                    case "read-only" -> config.setDynamic(GraphDatabaseSettings.read_only_databases, Set.of(DATABASE), "graphmind-tests");
                    case "read-write" -> config.setDynamic(GraphDatabaseSettings.read_only_databases, Set.of(), "graphmind-tests");
                    case "starting" -> guard.require(STARTING);
                    case "started" -> guard.fulfill(STARTING);
                    case "quit" -> {
                        System.out.println("ok quit");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown command");
                }
                System.out.println("ok " + command);
            } catch (RuntimeException e) {
                System.out.println("error " + command + ": " + e.getMessage());
            }
            System.out.flush();
        }
        Thread.currentThread().join(); // standard input closed (started in the background): serve until killed
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static void writeOwnerOnly(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
